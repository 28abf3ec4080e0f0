/**
 * @module ledger.repository
 * The hash-chained ledger, written in two steps. A use case appends its events to the outbox
 * (ledger_pending) inside its own transaction: no lock, so ledgered writes of one organisation no longer
 * wait for each other's commits, and the event still commits with the change it records. The chainer
 * (`chainPendingLedger`) then moves pending events into ledger_entries in batches, one per-organisation
 * lock and one commit for many events. Neither table allows UPDATE; ledger_entries allows no DELETE and
 * ledger_pending only the chainer's delete of rows already chained (migrations 0001, 0170).
 */
import { entryHash, GENESIS_HASH, type LedgerEntry } from "../../domain/ledger/hash-chain.ts";
import type { Db, Queryable } from "../db-port.ts";

export interface NewLedgerEvent {
  orgId: string;
  eventType: string;
  caseRef?: string | null;
  actor: string;
  payload: unknown;
  occurredAt?: Date;
}

interface LedgerRow {
  [k: string]: unknown;
  org_id: string;
  seq: number;
  event_type: string;
  case_ref: string | null;
  actor: string;
  occurred_at: Date | string;
  payload: unknown;
  prev_hash: string;
  hash: string;
}

function toEntry(r: LedgerRow): LedgerEntry {
  return {
    orgId: r.org_id,
    seq: Number(r.seq),
    eventType: r.event_type,
    caseRef: r.case_ref,
    actor: r.actor,
    occurredAt: new Date(r.occurred_at).toISOString(),
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The statement that writes to the outbox; the chaining Db wrapper recognises it to wake the chainer. */
export const LEDGER_PENDING_INSERT = "INSERT INTO ledger_pending";

/** Appends one event inside the caller's transaction (so the event commits with the change it records). */
export async function appendLedgerEvent(tx: Queryable, ev: NewLedgerEvent): Promise<void> {
  await appendLedgerEvents(tx, ev.orgId, [ev]);
}

/**
 * Appends events of one organisation, in order, to the outbox inside the caller's transaction. They
 * enter the hash chain when the chainer next runs (right after the commit when the Db comes from
 * openDb; `chainPendingLedger` to force it).
 */
export async function appendLedgerEvents(
  tx: Queryable,
  orgId: string,
  evs: readonly NewLedgerEvent[],
): Promise<void> {
  if (evs.length === 0) {
    return;
  }
  if (evs.some((e) => e.orgId !== orgId)) {
    throw new Error("appendLedgerEvents: every event must belong to the one organisation");
  }
  const params: unknown[] = [];
  const tuples = evs.map((ev) => {
    const at = params.length;
    params.push(
      orgId,
      ev.eventType,
      ev.caseRef ?? null,
      ev.actor,
      // Milliseconds, as the hash will cover them (toISOString) and timestamptz keeps them exactly.
      (ev.occurredAt ?? new Date()).toISOString(),
      JSON.stringify(ev.payload ?? {}),
    );
    return `(${Array.from({ length: 6 }, (_, i) => `$${at + i + 1}`).join(", ")})`;
  });
  // A multi-row VALUES list takes its ids in list order, so the events keep their order in the chain.
  await tx.query(
    `${LEDGER_PENDING_INSERT} (org_id, event_type, case_ref, actor, occurred_at, payload) VALUES ${tuples.join(", ")}`,
    params,
  );
}

interface PendingRow {
  [k: string]: unknown;
  id: number;
  event_type: string;
  case_ref: string | null;
  actor: string;
  occurred_at: Date | string;
  payload: unknown;
}

/**
 * Chains up to `limit` pending events of one organisation, oldest first, in the caller's transaction;
 * returns how many. The lock is waited for (not tried) and everything after it is read in later
 * statements, so this sees every event committed before the lock was granted and every entry another
 * chainer committed: running twice, or in several processes at once, chains each event exactly once.
 */
async function chainBatch(tx: Queryable, orgId: string, limit: number): Promise<number> {
  // hashtext gives a stable int per organisation for the transaction-scoped lock.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('ledger:' || $1))", [orgId]);
  const pending = await tx.query<PendingRow>(
    `SELECT id, event_type, case_ref, actor, occurred_at, payload FROM ledger_pending
     WHERE org_id = $1 ORDER BY id LIMIT $2`,
    [orgId, limit],
  );
  if (pending.length === 0) {
    return 0;
  }
  const [last] = await tx.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM ledger_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 1",
    [orgId],
  );
  const headSeq = last ? Number(last.seq) : 0;
  let seq = headSeq;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const p of pending) {
    seq += 1;
    // What is hashed is what the database gave back (jsonb payload, timestamptz instant), which is
    // exactly what a verifier reading ledger_entries will get.
    const content = {
      orgId,
      seq,
      eventType: p.event_type,
      caseRef: p.case_ref,
      actor: p.actor,
      occurredAt: new Date(p.occurred_at).toISOString(),
      payload: p.payload,
    };
    const hash = entryHash(prevHash, content);
    const at = params.length;
    params.push(
      orgId,
      seq,
      content.eventType,
      content.caseRef,
      content.actor,
      content.occurredAt,
      JSON.stringify(content.payload),
      prevHash,
      hash,
      Number(p.id),
    );
    tuples.push(`(${Array.from({ length: 10 }, (_, i) => `$${at + i + 1}`).join(", ")})`);
    prevHash = hash;
  }
  await tx.query(
    `INSERT INTO ledger_entries (org_id, seq, event_type, case_ref, actor, occurred_at, payload, prev_hash, hash, pending_id)
     VALUES ${tuples.join(", ")}`,
    params,
  );
  await tx.query(
    `DELETE FROM ledger_pending WHERE id IN
       (SELECT pending_id FROM ledger_entries WHERE org_id = $1 AND seq > $2)`,
    [orgId, headSeq],
  );
  return pending.length;
}

/**
 * Moves every pending event (all organisations, or one) into the hash chain, `batchSize` per
 * transaction; returns how many it chained. Safe to run at any time, twice, or from several processes.
 * @throws AggregateError naming every organisation that failed, after the others were chained
 */
export async function chainPendingLedger(
  db: Db,
  opts: { orgId?: string; batchSize?: number } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  const orgs = opts.orgId
    ? [opts.orgId]
    : (await db.query<{ org_id: string }>("SELECT DISTINCT org_id FROM ledger_pending")).map((r) => r.org_id);
  let total = 0;
  // One organisation whose events cannot be chained (a bad row, a lock timeout) must not leave every
  // other organisation's events pending: each is tried, and the failures are thrown together at the end.
  const failures: { orgId: string; error: unknown }[] = [];
  for (const orgId of orgs) {
    try {
      for (;;) {
        const n = await db.transaction((tx) => chainBatch(tx, orgId, batchSize));
        total += n;
        if (n < batchSize) {
          break;
        }
      }
    } catch (error) {
      failures.push({ orgId, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((f) => f.error),
      `chainPendingLedger: ${failures.length} organisation(s) not chained (${total} events chained): ` +
        failures
          .map((f) => `${f.orgId}: ${f.error instanceof Error ? f.error.message : String(f.error)}`)
          .join("; "),
    );
  }
  return total;
}

/**
 * The events of one organisation written but not yet in the chain: how many, and seconds since the
 * oldest was written (database clock; null when none is pending).
 */
export async function pendingLedgerStatus(
  db: Queryable,
  orgId: string,
): Promise<{ count: number; oldestAgeS: number | null }> {
  const [r] = await db.query<{ n: number; s: number | null }>(
    `SELECT count(*)::int AS n, extract(epoch FROM now() - min(written_at))::float8 AS s
     FROM ledger_pending WHERE org_id = $1`,
    [orgId],
  );
  return { count: Number(r?.n ?? 0), oldestAgeS: r?.s === null || r?.s === undefined ? null : Number(r.s) };
}

/** Reads the chain of one organisation in pages, in sequence order. */
export async function* readLedger(db: Db, orgId: string, pageSize = 5000): AsyncGenerator<LedgerEntry> {
  let after = 0;
  for (;;) {
    const rows = await db.query<LedgerRow>(
      `SELECT org_id, seq, event_type, case_ref, actor, occurred_at, payload, prev_hash, hash
       FROM ledger_entries WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [orgId, after, pageSize],
    );
    for (const r of rows) {
      yield toEntry(r);
    }
    if (rows.length < pageSize) {
      return;
    }
    after = Number(rows[rows.length - 1]?.seq ?? after);
  }
}

/** Entries of one case, newest last. */
export async function listLedgerForCase(db: Db, orgId: string, caseRef: string): Promise<LedgerEntry[]> {
  const rows = await db.query<LedgerRow>(
    `SELECT org_id, seq, event_type, case_ref, actor, occurred_at, payload, prev_hash, hash
     FROM ledger_entries WHERE org_id = $1 AND case_ref = $2 ORDER BY seq`,
    [orgId, caseRef],
  );
  return rows.map(toEntry);
}
