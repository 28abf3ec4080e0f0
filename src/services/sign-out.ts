/**
 * @module sign-out
 * Ends a session (ledgered).
 */
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { deleteSession } from "../storage/repositories/session.repository.ts";

export async function signOut(
  deps: { db: Db; clock: () => Date },
  auth: { orgId: string; userId: string; sessionHash: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteSession(tx, auth.sessionHash);
    await appendLedgerEvent(tx, {
      orgId: auth.orgId,
      eventType: "auth.signed_out",
      actor: auth.userId,
      payload: {},
      occurredAt: deps.clock(),
    });
  });
}
