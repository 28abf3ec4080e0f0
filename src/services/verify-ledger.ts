/**
 * @module verify-ledger
 * Re-computes every hash of an organisation's ledger and reports the chain intact or the first broken entry.
 */
import { createChainVerifier, type ChainCheck } from "../domain/ledger/hash-chain.ts";
import type { Db } from "../storage/db.ts";
import { readLedger } from "../storage/repositories/ledger.repository.ts";

export async function verifyLedger(deps: { db: Db }, orgId: string): Promise<ChainCheck> {
  const v = createChainVerifier();
  for await (const e of readLedger(deps.db, orgId)) {
    if (!v.push(e)) {
      break;
    }
  }
  return v.result();
}
