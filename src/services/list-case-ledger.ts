/**
 * @module list-case-ledger
 * A case's ledger entries, oldest first. Events still in the outbox are chained first, so the list
 * includes everything recorded up to the call.
 */
import type { LedgerEntry } from "../domain/ledger/hash-chain.ts";
import type { Db } from "../storage/db.ts";
import { chainPendingLedger, listLedgerForCase } from "../storage/repositories/ledger.repository.ts";

export async function listCaseLedger(
  deps: { db: Db },
  orgId: string,
  caseRef: string,
): Promise<LedgerEntry[]> {
  await chainPendingLedger(deps.db, { orgId });
  return listLedgerForCase(deps.db, orgId, caseRef);
}
