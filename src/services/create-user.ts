/**
 * @module create-user
 * Creates a local account (argon2id password) or an OIDC-only one; ledgered as user.created.
 */
import type { CreateUserRequest, User } from "../contract/api-auth.ts";
import { AppError } from "../contract/errors.ts";
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { findUserByEmail, insertUser } from "../storage/repositories/user.repository.ts";
import { presentUser } from "./account-presenter.ts";
import type { PasswordHasher } from "./password-hasher.ts";

export interface CreateUserDeps {
  db: Db;
  hasher: PasswordHasher;
  clock: () => Date;
}

/**
 * @param actor who creates the account ("cli" for the bootstrap command, else a user id)
 * @throws AppError CONFLICT when the e-mail is taken
 */
export async function createUser(
  deps: CreateUserDeps,
  orgId: string,
  input: CreateUserRequest,
  actor: string,
): Promise<User> {
  const passwordHash = input.password ? await deps.hasher.hash(input.password) : null;
  const now = deps.clock();
  const user = await deps.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, orgId, input.email)) {
      throw new AppError("CONFLICT", { userMessage: "an account with this e-mail already exists" });
    }
    const created = await insertUser(tx, {
      orgId,
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      passwordHash,
      phone: input.phone ?? null,
    });
    await appendLedgerEvent(tx, {
      orgId,
      eventType: "user.created",
      actor,
      payload: { userId: created.id, role: created.role, local: passwordHash !== null },
      occurredAt: now,
    });
    return created;
  });
  return presentUser(user, now);
}
