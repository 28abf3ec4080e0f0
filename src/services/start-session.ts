/**
 * @module start-session
 * Creates a server-side session for a user who has just proved who they are (password or OIDC).
 */
import type { Queryable } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { insertSession } from "../storage/repositories/session.repository.ts";
import type { UserRecord } from "../storage/repositories/user.repository.ts";
import { presentUser } from "./account-presenter.ts";
import type { SessionResponse } from "../contract/api-auth.ts";
import { hashSessionId, newToken } from "./session-token.ts";

export interface SignInResult extends SessionResponse {
  /** The raw session id: goes into the cookie, never stored. */
  sessionId: string;
}

export interface SessionSettings {
  secret: string;
  ttlMinutes: number;
}

/** Inserts the session and ledgers auth.signed_in inside the caller's transaction. */
export async function startSession(
  tx: Queryable,
  settings: SessionSettings,
  user: UserRecord,
  now: Date,
  method: "password" | "oidc",
): Promise<SignInResult> {
  const sessionId = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + settings.ttlMinutes * 60_000);
  await insertSession(
    tx,
    {
      idHash: hashSessionId(settings.secret, sessionId),
      orgId: user.orgId,
      userId: user.id,
      csrfToken,
      expiresAt,
    },
    now,
  );
  await appendLedgerEvent(tx, {
    orgId: user.orgId,
    eventType: "auth.signed_in",
    actor: user.id,
    payload: { method },
    occurredAt: now,
  });
  return { sessionId, csrfToken, expiresAt: expiresAt.toISOString(), user: presentUser(user, now) };
}
