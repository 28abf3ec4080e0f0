import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../tests/helpers/test-db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import type { TestDb } from "../storage/test-databases.ts";
import { verifyLedger } from "./verify-ledger.ts";

const ORG = "00000000-0000-0000-0000-000000000001";

describe("verifyLedger", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(() => t.drop());

  it("should report an intact chain after appends, including concurrent ones", async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.db.transaction((tx) =>
          appendLedgerEvent(tx, {
            orgId: ORG,
            eventType: "report.received",
            caseRef: `C-${i}`,
            actor: "intake",
            payload: { i, z: { b: 2, a: 1 } },
          }),
        ),
      ),
    );
    expect(await verifyLedger({ db: t.db }, ORG)).toMatchObject({ intact: true, entries: 10, pending: 0 });
  });

  it("should still verify what is chained when chaining fails, and report the error and a stalled chain", async () => {
    // An event written two minutes ago and never chained (the chainer of its process died).
    await t.db.query(
      `INSERT INTO ledger_pending (org_id, event_type, actor, occurred_at, payload, written_at)
       VALUES ($1, 'report.received', 'intake', now(), '{}', now() - interval '2 minutes')`,
      [ORG],
    );
    const readOnly: typeof t.db = {
      ...t.db,
      transaction: () => Promise.reject(new Error("cannot execute INSERT in a read-only transaction")),
    };
    const r = await verifyLedger({ db: readOnly }, ORG);
    expect(r).toMatchObject({ intact: true, entries: 10, pending: 1, stalled: true });
    expect(r.chainError).toMatch(/read-only/);
    expect(r.oldestPendingAgeS).toBeGreaterThan(60);
    const after = await verifyLedger({ db: t.db }, ORG);
    expect(after).toMatchObject({
      intact: true,
      entries: 11,
      pending: 0,
      stalled: false,
      oldestPendingAgeS: null,
    });
    expect(after.chainError).toBeUndefined();
  });

  it("should name the first entry whose stored content was changed behind the application's back", async () => {
    // The triggers refuse UPDATE; an attacker with superuser rights could disable them. Simulate that.
    await t.db.exec("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update");
    await t.db.query("UPDATE ledger_entries SET payload = '{\"i\": 42}' WHERE org_id = $1 AND seq = 4", [
      ORG,
    ]);
    await t.db.exec("ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_no_update");
    expect(await verifyLedger({ db: t.db }, ORG)).toMatchObject({ intact: false, firstBrokenSeq: 4 });
  });
});
