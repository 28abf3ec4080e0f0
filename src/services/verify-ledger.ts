/**
 * @module verify-ledger
 * Re-computes every hash of an organisation's ledger and reports the chain intact or the first broken
 * entry. Events still in the outbox are chained first, so the check covers everything recorded up to
 * the call; `pending` counts those written since (or that could not be chained), which the check does
 * not cover yet.
 */
import { createChainVerifier, type ChainCheck } from "../domain/ledger/hash-chain.ts";
import type { Db } from "../storage/db.ts";
import {
  chainPendingLedger,
  countPendingLedger,
  readLedger,
} from "../storage/repositories/ledger.repository.ts";

export type LedgerVerification = ChainCheck & { pending: number };

export async function verifyLedger(deps: { db: Db }, orgId: string): Promise<LedgerVerification> {
  await chainPendingLedger(deps.db, { orgId });
  const v = createChainVerifier();
  for await (const e of readLedger(deps.db, orgId)) {
    if (!v.push(e)) {
      break;
    }
  }
  return { ...v.result(), pending: await countPendingLedger(deps.db, orgId) };
}
