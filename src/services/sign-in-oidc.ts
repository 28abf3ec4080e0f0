/**
 * @module sign-in-oidc
 * Signs in a user the identity provider vouched for. Accounts are never created here: the provider's
 * subject must already be linked, or its verified e-mail must match an account (then linked, ledgered).
 */
import { AppError } from "../contract/errors.ts";
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import {
  findUserByEmail,
  findUserByOidc,
  linkOidcIdentity,
} from "../storage/repositories/user.repository.ts";
import { startSession, type SessionSettings, type SignInResult } from "./start-session.ts";

/** @throws AppError UNAUTHENTICATED when no enabled, unlocked account matches (ledgered) */
export async function signInOidc(
  deps: { db: Db; clock: () => Date; session: SessionSettings },
  orgId: string,
  identity: { issuer: string; subject: string; email: string | null },
): Promise<SignInResult> {
  const now = deps.clock();
  return deps.db
    .transaction(async (tx) => {
      let user = await findUserByOidc(tx, orgId, identity.issuer, identity.subject);
      if (!user && identity.email) {
        const byEmail = await findUserByEmail(tx, orgId, identity.email);
        if (byEmail) {
          await linkOidcIdentity(tx, byEmail.id, identity.issuer, identity.subject);
          await appendLedgerEvent(tx, {
            orgId,
            eventType: "user.oidc_linked",
            actor: byEmail.id,
            payload: { issuer: identity.issuer, subject: identity.subject },
            occurredAt: now,
          });
          user = byEmail;
        }
      }
      if (!user || user.disabled || (user.lockedUntil && user.lockedUntil > now)) {
        return null;
      }
      return startSession(tx, deps.session, user, now, "oidc");
    })
    .then(async (r) => {
      if (r) {
        return r;
      }
      await deps.db.transaction((tx) =>
        appendLedgerEvent(tx, {
          orgId,
          eventType: "auth.sign_in_failed",
          actor: "anonymous",
          payload: {
            method: "oidc",
            issuer: identity.issuer,
            subject: identity.subject,
            reason: "no_matching_account",
          },
          occurredAt: now,
        }),
      );
      throw new AppError("UNAUTHENTICATED", {
        userMessage: "no account for this identity; ask an administrator",
      });
    });
}
