/**
 * @module ledger.repository
 * Appends to and reads the hash-chained ledger. Appends take a per-organisation transaction lock so two
 * processes never race for the same sequence number; there is no update or delete here (and the
 * database refuses them, migration 0001).
 */
import { entryHash, GENESIS_HASH, type LedgerEntry } from "../../domain/ledger/hash-chain.ts";
import type { Db, Queryable } from "../db.ts";

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

/** Appends one event inside the caller's transaction (so the event commits with the change it records). */
export async function appendLedgerEvent(tx: Queryable, ev: NewLedgerEvent): Promise<LedgerEntry> {
  const [entry] = await appendLedgerEvents(tx, ev.orgId, [ev]);
  if (!entry) throw new Error("ledger append returned nothing");
  return entry;
}

/**
 * Appends events of one organisation, in order, inside the caller's transaction. The per-organisation
 * lock serialises every ledgered write until its transaction commits, so callers append last (after
 * their other statements) and several events go in together: one lock, one read of the chain's head,
 * one insert.
 */
export async function appendLedgerEvents(
  tx: Queryable,
  orgId: string,
  evs: readonly NewLedgerEvent[],
): Promise<LedgerEntry[]> {
  if (evs.length === 0) {
    return [];
  }
  if (evs.some((e) => e.orgId !== orgId)) {
    throw new Error("appendLedgerEvents: every event must belong to the one organisation");
  }
  // hashtext gives a stable int per organisation for the transaction-scoped lock. The head is read in a
  // later statement than the lock, so its snapshot sees every append committed before the lock was granted.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('ledger:' || $1))", [orgId]);
  const [last] = await tx.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM ledger_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 1",
    [orgId],
  );
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const entries: LedgerEntry[] = [];
  for (const ev of evs) {
    seq += 1;
    const content = {
      orgId,
      seq,
      eventType: ev.eventType,
      caseRef: ev.caseRef ?? null,
      actor: ev.actor,
      occurredAt: (ev.occurredAt ?? new Date()).toISOString(),
      // Round-trip through JSON so what is hashed is exactly what jsonb will give back.
      payload: JSON.parse(JSON.stringify(ev.payload ?? {})),
    };
    const hash = entryHash(prevHash, content);
    entries.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  const params: unknown[] = [];
  const tuples = entries.map((e) => {
    const at = params.length;
    params.push(
      e.orgId,
      e.seq,
      e.eventType,
      e.caseRef,
      e.actor,
      e.occurredAt,
      JSON.stringify(e.payload),
      e.prevHash,
      e.hash,
    );
    return `(${Array.from({ length: 9 }, (_, i) => `$${at + i + 1}`).join(", ")})`;
  });
  await tx.query(
    `INSERT INTO ledger_entries (org_id, seq, event_type, case_ref, actor, occurred_at, payload, prev_hash, hash)
     VALUES ${tuples.join(", ")}`,
    params,
  );
  return entries;
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
