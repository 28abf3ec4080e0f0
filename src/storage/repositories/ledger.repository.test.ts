import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChainVerifier } from "../../domain/ledger/hash-chain.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import type { Queryable } from "../db-port.ts";
import type { TestDb } from "../test-databases.ts";
import {
  appendLedgerEvent,
  appendLedgerEvents,
  chainPendingLedger,
  pendingLedgerStatus,
  readLedger,
} from "./ledger.repository.ts";

const ORG = "00000000-0000-0000-0000-000000000001";

async function entries(t: TestDb): Promise<{ eventType: string; caseRef: string | null }[]> {
  const out = [];
  for await (const e of readLedger(t.db, ORG)) {
    out.push({ eventType: e.eventType, caseRef: e.caseRef });
  }
  return out;
}

describe("the ledger outbox", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(() => t.drop());

  it("should keep an event pending, outside the chain, until the chainer moves it in", async () => {
    const seen = await t.db.transaction(async (tx) => {
      await appendLedgerEvent(tx, { orgId: ORG, eventType: "a.one", actor: "x", payload: { n: 1 } });
      const [chained] = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ledger_entries WHERE event_type = 'a.one'",
      );
      return { pending: (await pendingLedgerStatus(tx, ORG)).count, chained: Number(chained?.n) };
    });
    expect(seen).toEqual({ pending: 1, chained: 0 });
    await chainPendingLedger(t.db);
    expect((await pendingLedgerStatus(t.db, ORG)).count).toBe(0);
    expect(await entries(t)).toContainEqual({ eventType: "a.one", caseRef: null });
  });

  it("should never chain an event whose transaction rolled back", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await appendLedgerEvent(tx, { orgId: ORG, eventType: "b.rolled_back", actor: "x", payload: {} });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await chainPendingLedger(t.db);
    expect((await entries(t)).map((e) => e.eventType)).not.toContain("b.rolled_back");
  });

  it("should chain each event exactly once, in its transaction's order, with writers and chainers running at once", async () => {
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        t.db.transaction((tx) =>
          appendLedgerEvents(tx, ORG, [
            { orgId: ORG, eventType: "c.first", caseRef: `C-${i}`, actor: "x", payload: { i } },
            { orgId: ORG, eventType: "c.second", caseRef: `C-${i}`, actor: "x", payload: { i } },
          ]),
        ),
      ),
      chainPendingLedger(t.db),
      chainPendingLedger(t.db, { batchSize: 3 }),
      chainPendingLedger(t.db, { orgId: ORG, batchSize: 1 }),
    ]);
    await chainPendingLedger(t.db);
    const all = await entries(t);
    for (let i = 0; i < 12; i++) {
      const ofCase = all.filter((e) => e.caseRef === `C-${i}`).map((e) => e.eventType);
      expect(ofCase).toEqual(["c.first", "c.second"]);
    }
    const v = createChainVerifier();
    for await (const e of readLedger(t.db, ORG)) {
      v.push(e);
    }
    expect(v.result()).toMatchObject({ intact: true, entries: all.length });
    expect((await pendingLedgerStatus(t.db, ORG)).count).toBe(0);
  });

  it("should refuse to update, truncate, or delete a pending event that is not in the chain", async () => {
    const attempt = (sql: string) =>
      t.db.transaction(async (tx) => {
        await appendLedgerEvent(tx, { orgId: ORG, eventType: "d.guarded", actor: "x", payload: {} });
        await tx.query(sql);
      });
    await expect(attempt("UPDATE ledger_pending SET actor = 'y'")).rejects.toThrow(/refused/);
    await expect(attempt("DELETE FROM ledger_pending")).rejects.toThrow(/not in the chain/);
    await expect(attempt("TRUNCATE ledger_pending")).rejects.toThrow(/refused/);
  });

  it("should refuse an entry of seq 0 or less, and one naming a pending event it does not come from", async () => {
    const insert = (seq: number, pendingId: string | null, actor = "x") =>
      t.db.query(
        `INSERT INTO ledger_entries (org_id, seq, event_type, actor, occurred_at, payload, prev_hash, hash, pending_id)
         VALUES ($1, $2, 'e.forged', $3, '2026-01-01T00:00:00.000Z', '{}', repeat('0',64), repeat('1',64), $4)`,
        [ORG, seq, actor, pendingId],
      );
    await expect(insert(0, null)).rejects.toThrow(/ledger_entries_seq_positive/);
    await expect(insert(-1, null)).rejects.toThrow(/ledger_entries_seq_positive/);
    await expect(insert(900_001, "987654321")).rejects.toThrow(/does not exist or differs/);
    await expect(
      t.db.transaction(async (tx) => {
        await appendLedgerEvent(tx, {
          orgId: ORG,
          eventType: "e.forged",
          actor: "x",
          payload: {},
          occurredAt: new Date("2026-01-01T00:00:00.000Z"),
        });
        const [p] = await tx.query<{ id: string }>("SELECT max(id)::text AS id FROM ledger_pending");
        // Same event but another actor: the entry would let the delete guard release an unchained row.
        await tx.query(
          `INSERT INTO ledger_entries (org_id, seq, event_type, actor, occurred_at, payload, prev_hash, hash, pending_id)
           VALUES ($1, 900002, 'e.forged', 'y', '2026-01-01T00:00:00.000Z', '{}', repeat('0',64), repeat('1',64), $2)`,
          [ORG, p?.id],
        );
      }),
    ).rejects.toThrow(/does not exist or differs/);
    await chainPendingLedger(t.db);
    expect((await pendingLedgerStatus(t.db, ORG)).count).toBe(0);
  });

  it("should chain the other organisations when one fails, then report the failure", async () => {
    const OTHER = "00000000-0000-0000-0000-0000000000b2";
    await t.db.query(
      "INSERT INTO organisations (id, slug, name) VALUES ($1, 'ledger-other', 'Other') ON CONFLICT DO NOTHING",
      [OTHER],
    );
    for (const orgId of [ORG, OTHER]) {
      await t.db.transaction((tx) =>
        appendLedgerEvent(tx, { orgId, eventType: "f.each", actor: "x", payload: {} }),
      );
    }
    // Every organisation's chaining starts with its lock; refuse it for whichever organisation comes
    // first, so the other one is always tried after a failure.
    let broken: unknown;
    const lockOrFail =
      (tx: Queryable): Queryable["query"] =>
      (sql, params) => {
        broken ??= sql.includes("pg_advisory_xact_lock") ? params?.[0] : undefined;
        return sql.includes("pg_advisory_xact_lock") && params?.[0] === broken
          ? Promise.reject(new Error("lock timeout"))
          : tx.query(sql, params);
      };
    const failing: typeof t.db = {
      ...t.db,
      transaction: (fn) => t.db.transaction((tx) => fn({ ...tx, query: lockOrFail(tx) })),
    };
    await expect(chainPendingLedger(failing)).rejects.toThrow(/: lock timeout/);
    const healthy = broken === ORG ? OTHER : ORG;
    expect((await pendingLedgerStatus(t.db, healthy)).count).toBe(0);
    expect((await pendingLedgerStatus(t.db, String(broken))).count).toBe(1);
    await chainPendingLedger(t.db);
    expect((await pendingLedgerStatus(t.db, String(broken))).count).toBe(0);
  });
});
