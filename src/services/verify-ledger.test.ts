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
