import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../tests/helpers/test-db.ts";
import type { TestDb } from "./test-databases.ts";
import { migrate } from "./migrate.ts";

describe("migrations", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(() => t.drop());

  it("should be applied already and be idempotent", async () => {
    expect(await migrate(t.db)).toEqual([]);
    const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it("should keep wall-clock timestamps as written, with no zone", async () => {
    const rows = await t.db.query<{ ts: string }>("SELECT '2024-03-31T01:30:00'::timestamp AS ts");
    expect(rows[0]?.ts).toBe("2024-03-31 01:30:00");
  });

  it("should refuse to update or delete ledger entries", async () => {
    await t.db.query(
      `INSERT INTO ledger_entries (org_id, seq, event_type, actor, occurred_at, payload, prev_hash, hash)
       VALUES ('00000000-0000-0000-0000-000000000001', 999, 't', 'test', now(), '{}', repeat('0',64), repeat('1',64))`,
    );
    await expect(t.db.query("UPDATE ledger_entries SET actor = 'x' WHERE seq = 999")).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query("DELETE FROM ledger_entries WHERE seq = 999")).rejects.toThrow(/append-only/);
  });
});
