/**
 * @module hash-chain
 * The ledger's hash chain, as pure functions. An entry's hash is sha256 over the previous entry's hash
 * and a canonical serialisation of the entry's content, so changing, removing or reordering any entry
 * breaks every hash after it.
 */
import { createHash } from "node:crypto";

/** Hash that precedes the first entry of a chain. */
export const GENESIS_HASH = "0".repeat(64);

export interface LedgerContent {
  orgId: string;
  seq: number;
  eventType: string;
  caseRef: string | null;
  actor: string;
  /** ISO 8601 instant with milliseconds and "Z". */
  occurredAt: string;
  payload: unknown;
}

export interface LedgerEntry extends LedgerContent {
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level, so the same content always hashes the same whatever the
 * database returned the jsonb keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const s = JSON.stringify(value);
    // undefined and functions have no JSON form; treat them as null rather than dropping silently.
    return s === undefined ? "null" : s;
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function entryHash(prevHash: string, content: LedgerContent): string {
  const body = canonicalJson({
    orgId: content.orgId,
    seq: content.seq,
    eventType: content.eventType,
    caseRef: content.caseRef,
    actor: content.actor,
    occurredAt: content.occurredAt,
    payload: content.payload,
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

export type ChainCheck =
  | { intact: true; entries: number; lastHash: string }
  | { intact: false; entries: number; firstBrokenSeq: number; reason: string };

/**
 * Checks a chain incrementally: feed entries in seq order, then read `result()`. Streams, so a ledger of
 * millions of entries needs no more memory than one entry.
 */
export function createChainVerifier(): { push(e: LedgerEntry): boolean; result(): ChainCheck } {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let broken: { seq: number; reason: string } | null = null;
  return {
    push(e) {
      if (broken) {
        return false;
      }
      count++;
      if (e.seq !== expectedSeq) {
        broken = { seq: e.seq, reason: `expected entry ${expectedSeq}, found ${e.seq}` };
      } else if (e.prevHash !== prev) {
        broken = { seq: e.seq, reason: "previous-hash link does not match" };
      } else if (entryHash(prev, e) !== e.hash) {
        broken = { seq: e.seq, reason: "content does not match its hash" };
      }
      prev = e.hash;
      expectedSeq++;
      return broken === null;
    },
    result() {
      return broken
        ? { intact: false, entries: count, firstBrokenSeq: broken.seq, reason: broken.reason }
        : { intact: true, entries: count, lastHash: prev };
    },
  };
}
