/**
 * @module sign-in
 * Password sign-in with lockout: after `lockout.attempts` consecutive failures the account is locked for
 * `lockout.minutes` (ledgered as account.locked). Unknown e-mails cost the same argon2 verification as
 * known ones and get the same answer, so the response does not reveal which accounts exist.
 */
import type { SignInRequest } from "../contract/api-auth.ts";
import { AppError } from "../contract/errors.ts";
import type { Db, Queryable } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import {
  clearFailedAttempts,
  findUserByEmail,
  recordFailedAttempt,
  setLockedUntil,
  type UserRecord,
} from "../storage/repositories/user.repository.ts";
import { dummyHash, type PasswordHasher } from "./password-hasher.ts";
import { startSession, type SessionSettings, type SignInResult } from "./start-session.ts";

export interface SignInDeps {
  db: Db;
  hasher: PasswordHasher;
  clock: () => Date;
  session: SessionSettings;
  lockout: { attempts: number; minutes: number };
}

type Refusal = "unknown_account" | "disabled" | "locked" | "bad_password";

function refusalOf(user: UserRecord | null, passwordOk: boolean, now: Date): Refusal | null {
  if (!user) {
    return "unknown_account";
  }
  if (user.disabled) {
    return "disabled";
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    return "locked";
  }
  if (!user.passwordHash || !passwordOk) {
    return "bad_password";
  }
  return null;
}

/**
 * @throws AppError UNAUTHENTICATED for a wrong password, an unknown, disabled or locked account
 */
export async function signIn(deps: SignInDeps, orgId: string, input: SignInRequest): Promise<SignInResult> {
  const now = deps.clock();
  const user = await findUserByEmail(deps.db, orgId, input.email);
  const passwordOk = await deps.hasher.verify(
    user?.passwordHash ?? (await dummyHash(deps.hasher)),
    input.password,
  );
  const refusal = refusalOf(user, passwordOk, now);
  if (refusal || !user) {
    // The refusal commits (it is the record of the attempt); the request then fails.
    await deps.db.transaction(async (tx) => {
      if (user && refusal === "bad_password") {
        await lockIfNeeded(tx, deps, user, now);
      }
      await appendLedgerEvent(tx, {
        orgId,
        eventType: "auth.sign_in_failed",
        actor: user?.id ?? "anonymous",
        payload: { email: input.email.toLowerCase(), reason: refusal },
        occurredAt: now,
      });
    });
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "e-mail or password not accepted, or the account is locked",
      message: `sign-in refused: ${String(refusal)}`,
    });
  }
  return deps.db.transaction(async (tx) => {
    await clearFailedAttempts(tx, user.id);
    return startSession(tx, deps.session, user, now, "password");
  });
}

async function lockIfNeeded(tx: Queryable, deps: SignInDeps, user: UserRecord, now: Date): Promise<void> {
  const n = await recordFailedAttempt(tx, user.id);
  if (n < deps.lockout.attempts) {
    return;
  }
  const until = new Date(now.getTime() + deps.lockout.minutes * 60_000);
  await setLockedUntil(tx, user.id, until);
  await appendLedgerEvent(tx, {
    orgId: user.orgId,
    eventType: "account.locked",
    actor: "system",
    payload: { userId: user.id, until: until.toISOString(), failedAttempts: n },
    occurredAt: now,
  });
}
