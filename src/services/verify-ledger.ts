/**
 * @module verify-ledger
 * Re-computes every hash of an organisation's ledger and reports the chain intact or the first broken
 * entry. Events still in the outbox are chained first, so the check covers everything recorded up to
 * the call; `pending` counts those written since (or that could not be chained), which the check does
 * not cover yet. If chaining fails (a read-only connection, a failing organisation), what is already
 * chained is still verified and the error is reported (`chainError`); a pending event older than
 * STALLED_AFTER_S marks the chainer as stalled.
 */
import { createChainVerifier, type ChainCheck } from "../domain/ledger/hash-chain.ts";
import type { Db } from "../storage/db.ts";
import {
  chainPendingLedger,
  pendingLedgerStatus,
  readLedger,
} from "../storage/repositories/ledger.repository.ts";

/** The chainer runs 50 ms after a commit and servers sweep every 10 s: a minute means it is not running. */
export const STALLED_AFTER_S = 60;

export type LedgerVerification = ChainCheck & {
  pending: number;
  /** Seconds since the oldest pending event was written; null when none is pending. */
  oldestPendingAgeS: number | null;
  /** True when a pending event is older than STALLED_AFTER_S. */
  stalled: boolean;
  /** Why chaining before the check failed; the check then covers only what was already chained. */
  chainError?: string;
};

export async function verifyLedger(deps: { db: Db }, orgId: string): Promise<LedgerVerification> {
  let chainError: string | undefined;
  try {
    await chainPendingLedger(deps.db, { orgId });
  } catch (e) {
    chainError = e instanceof Error ? e.message : String(e);
  }
  const v = createChainVerifier();
  for await (const e of readLedger(deps.db, orgId)) {
    if (!v.push(e)) {
      break;
    }
  }
  const pending = await pendingLedgerStatus(deps.db, orgId);
  return {
    ...v.result(),
    pending: pending.count,
    oldestPendingAgeS: pending.oldestAgeS,
    stalled: pending.oldestAgeS !== null && pending.oldestAgeS > STALLED_AFTER_S,
    ...(chainError === undefined ? {} : { chainError }),
  };
}
