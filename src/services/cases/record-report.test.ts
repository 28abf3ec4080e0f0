import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actor, dumpAllTables, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import { selectClocksForCase } from "../../storage/repositories/clock.repository.ts";
import { listCaseLedger } from "../list-case-ledger.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { verifyLedger } from "../verify-ledger.ts";
import { addCaseNote } from "./add-case-note.ts";
import { authenticateAnonymousReporter, resolveReporterAccess } from "./authenticate-reporter.ts";
import { grantIdentityAccess } from "./grant-identity-access.ts";
import { listCaseNotes } from "./list-case-notes.ts";
import { readReporterIdentity } from "./read-reporter-identity.ts";
import { readReporterView } from "./read-reporter-view.ts";
import { recordReport } from "./record-report.ts";
import { sendMessageToReporter } from "./send-message-to-reporter.ts";
import { sendReporterMessage } from "./send-reporter-message.ts";

const NOW = new Date("2026-11-30T10:00:00Z");

describe("recordReport and the reporter's channel", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(() => t.drop());

  it("should store nothing identifying for an anonymous report and return the codes once", async () => {
    const r = await recordReport(
      { db: t.db },
      {
        orgId: ORG,
        mode: "anonymous",
        body: "The team chat shares sexual images of women.",
        isDisclosure: true,
        now: NOW,
      },
    );
    expect(r.reference).toMatch(/^UPS-2026-\d{6}$/);
    expect(r.receiptCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(r.passphrase).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$/);
    const everything = await dumpAllTables(t.db);
    const receipt = r.receiptCode ?? "x";
    const pass = r.passphrase ?? "x";
    for (const secret of [receipt, receipt.replace(/-/g, ""), pass, pass.replace(/-/g, "")]) {
      expect(everything).not.toContain(secret);
    }
    const [row] = await t.db.query("SELECT * FROM reports WHERE id = $1", [r.reportId]);
    // The report row holds exactly these columns: nothing about the sender's network, browser or device.
    expect(Object.keys(row ?? {}).sort()).toEqual([
      "body",
      "case_id",
      "id",
      "is_disclosure",
      "mode",
      "org_id",
      "passphrase_hash",
      "receipt_lookup",
      "received_at",
      "reporter_user_id",
    ]);
    expect(row).toMatchObject({ reporter_user_id: null, mode: "anonymous" });
    const late = await recordReport(
      { db: t.db },
      {
        orgId: ORG,
        mode: "anonymous",
        body: "b",
        isDisclosure: false,
        now: new Date("2026-11-30T14:32:07.123Z"),
      },
    );
    const [lateRow] = await t.db.query<{ received_at: Date | string }>(
      "SELECT received_at FROM reports WHERE id = $1",
      [late.reportId],
    );
    // Stored to the hour only: the exact second could be matched against access logs.
    expect(new Date(lateRow?.received_at ?? 0).toISOString()).toBe("2026-11-30T14:00:00.000Z");
    expect((await listCaseLedger({ db: t.db }, ORG, late.reference))[0]?.occurredAt).toBe(
      "2026-11-30T14:00:00.000Z",
    );
    expect(await t.db.query("SELECT * FROM reporter_identities WHERE report_id = $1", [r.reportId])).toEqual(
      [],
    );
  });

  it("should write report.received and start the 7-day and 3-month clocks", async () => {
    const r = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW },
    );
    const ledger = await listCaseLedger({ db: t.db }, ORG, r.reference);
    expect(ledger.map((e) => e.eventType)).toEqual(["report.received"]);
    const clocks = await selectClocksForCase(t.db, ORG, r.caseId);
    expect(clocks.map((k) => [k.kind, k.dueAt.toISOString()])).toEqual([
      ["acknowledgement", "2026-12-08T00:00:00.000Z"],
      ["feedback", "2027-03-01T00:00:00.000Z"],
    ]);
  });

  it("should give successive references", async () => {
    const a = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW },
    );
    const b = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW },
    );
    expect(Number(b.reference.slice(-6))).toBe(Number(a.reference.slice(-6)) + 1);
  });

  it("should number reports recorded at once without gaps or repeats, none left provisional", async () => {
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        recordReport(
          { db: t.db },
          { orgId: ORG, mode: "anonymous", body: `b${i}`, isDisclosure: i % 2 === 0, now: NOW },
        ),
      ),
    );
    const numbers = rs.map((r) => Number(r.reference.slice(-6))).sort((x, y) => x - y);
    const first = numbers[0] ?? 0;
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => first + i));
    const rows = await t.db.query<{ id: string; reference: string; title: string }>(
      "SELECT id, reference, title FROM cases WHERE org_id = $1 AND id = ANY($2::uuid[])",
      [ORG, rs.map((r) => r.caseId)],
    );
    expect(new Map(rows.map((r) => [r.id, [r.reference, r.title]]))).toEqual(
      new Map(rs.map((r) => [r.caseId, [r.reference, `Report ${r.reference}`]])),
    );
    expect(await t.db.query("SELECT 1 FROM cases WHERE reference LIKE 'pending-%'")).toEqual([]);
    expect(await verifyLedger({ db: t.db }, ORG)).toMatchObject({ intact: true });
  });

  it("should ledger a case number left unused by an intake that failed after taking it", async () => {
    // The database refuses the report row, as a failing disk or a dropped connection would.
    const failing: typeof t.db = {
      ...t.db,
      transaction: (fn) =>
        t.db.transaction((tx) =>
          fn({
            ...tx,
            query: (sql, params) =>
              sql.includes("INSERT INTO reports")
                ? Promise.reject(new Error("disk full"))
                : tx.query(sql, params),
          }),
        ),
    };
    const before = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "a", isDisclosure: false, now: NOW },
    );
    await expect(
      recordReport(
        { db: failing },
        { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW },
      ),
    ).rejects.toThrow("disk full");
    const after = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "c", isDisclosure: false, now: NOW },
    );
    const n = Number(before.reference.slice(-6));
    expect(Number(after.reference.slice(-6))).toBe(n + 2);
    const unused = `${before.reference.slice(0, -6)}${String(n + 1).padStart(6, "0")}`;
    expect(await t.db.query("SELECT 1 FROM cases WHERE reference = $1", [unused])).toEqual([]);
    expect((await listCaseLedger({ db: t.db }, ORG, unused)).map((e) => e.eventType)).toEqual([
      "case.number_unused",
    ]);
  });

  it("should not ledger a number as unused when the intake committed but reported an error", async () => {
    // The connection drops during COMMIT: the intake is in, yet its transaction call fails.
    const committedThenFailed: typeof t.db = {
      ...t.db,
      transaction: async (fn) => {
        const r = await t.db.transaction(fn);
        if (r && typeof r === "object" && "reference" in r) {
          throw new Error("connection lost during COMMIT");
        }
        return r;
      },
    };
    await expect(
      recordReport(
        { db: committedThenFailed },
        { orgId: ORG, mode: "anonymous", body: "d", isDisclosure: false, now: NOW },
      ),
    ).rejects.toThrow("connection lost during COMMIT");
    const [latest] = await t.db.query<{ reference: string }>(
      "SELECT reference FROM cases WHERE org_id = $1 ORDER BY reference DESC LIMIT 1",
      [ORG],
    );
    const types = (await listCaseLedger({ db: t.db }, ORG, latest?.reference ?? "")).map((e) => e.eventType);
    expect(types).toContain("report.received");
    expect(types).not.toContain("case.number_unused");
  });

  it("should write to stderr when the unused number cannot be ledgered either", async () => {
    let calls = 0;
    const failing: typeof t.db = {
      ...t.db,
      transaction: () => Promise.reject(new Error(calls++ === 0 ? "intake failed" : "database gone")),
    };
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await expect(
        recordReport(
          { db: failing },
          { orgId: ORG, mode: "anonymous", body: "e", isDisclosure: false, now: NOW },
        ),
      ).rejects.toThrow("intake failed");
    } finally {
      spy.mockRestore();
    }
    expect(written.join("")).toMatch(/case\.number_unused not ledgered for .*: database gone/);
  });

  it("should let the anonymous reporter back in with both codes only, and never show notes", async () => {
    const r = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW },
    );
    const receiptCode = (r.receiptCode ?? "").toLowerCase().replace(/-/g, " ");
    const access = await authenticateAnonymousReporter(
      { db: t.db },
      { receiptCode, passphrase: r.passphrase ?? "" },
    );
    expect(access).toEqual({ orgId: ORG, caseId: r.caseId, reportId: r.reportId });
    await expect(
      authenticateAnonymousReporter({ db: t.db }, { receiptCode, passphrase: "AAAA-AAAA-AAAA-AAAA-AAAA" }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(
      authenticateAnonymousReporter(
        { db: t.db },
        { receiptCode: "AAAA-AAAA-AAAA-AAAA", passphrase: r.passphrase ?? "" },
      ),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });

    const intake = actor("intake_officer");
    const ack = await sendMessageToReporter(
      { db: t.db },
      {
        orgId: ORG,
        caseId: r.caseId,
        actor: intake,
        kind: "acknowledgement",
        body: "We have your report.",
        now: new Date(NOW.getTime() + 30 * 60_000),
      },
    );
    expect(ack.clocksMet).toHaveLength(1);
    await addCaseNote(
      { db: t.db },
      { orgId: ORG, caseId: r.caseId, actor: intake, body: "SECRET NOTE: subject is DS Smith", now: NOW },
    );
    await sendReporterMessage({ db: t.db }, access, {
      body: "Thank you",
      now: new Date(NOW.getTime() + 45 * 60_000),
    });

    // The reply at 10:45 is stored as 10:00 (anonymous times are kept to the hour), yet listed after the
    // acknowledgement sent at 10:30.
    const view = await readReporterView({ db: t.db }, access);
    expect(view.messages.map((m) => [m.direction, m.kind, m.body])).toEqual([
      ["to_reporter", "acknowledgement", "We have your report."],
      ["from_reporter", "message", "Thank you"],
    ]);
    expect(JSON.stringify(view)).not.toContain("SECRET NOTE");
    expect(JSON.stringify(view)).not.toContain(intake.userId);
    const notes = await listCaseNotes({ db: t.db }, { orgId: ORG, caseId: r.caseId, actor: intake });
    expect(notes.map((n) => n.body)).toEqual(["SECRET NOTE: subject is DS Smith"]);
    await expect(
      listCaseNotes({ db: t.db }, { orgId: ORG, caseId: r.caseId, actor: actor("reporter") }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should keep a confidential identity apart, for the protection officer and those granted access", async () => {
    const reporterUserId = "11111111-1111-4111-8111-111111111111";
    const r = await recordReport(
      { db: t.db },
      {
        orgId: ORG,
        mode: "confidential",
        identity: { fullName: "Jane Reporter", contact: "jane@example.org" },
        reporterUserId,
        body: "b",
        isDisclosure: true,
        now: NOW,
      },
    );
    const [rep] = await t.db.query("SELECT row_to_json(r)::text AS j FROM reports r WHERE id = $1", [
      r.reportId,
    ]);
    expect(JSON.stringify(rep)).not.toContain("Jane");
    const investigator = actor("investigator");
    const po = actor("protection_officer");
    const args = { orgId: ORG, caseId: r.caseId, purpose: "arrange a meeting", now: NOW };
    await expect(readReporterIdentity({ db: t.db }, { ...args, actor: investigator })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await readReporterIdentity({ db: t.db }, { ...args, actor: po })).toEqual([
      { reportId: r.reportId, restricted: true, fullName: "Jane Reporter", contact: "jane@example.org" },
    ]);
    await grantIdentityAccess(
      { db: t.db },
      {
        orgId: ORG,
        caseId: r.caseId,
        userId: investigator.userId,
        actor: po,
        grant: true,
        reason: "interview",
        now: NOW,
      },
    );
    expect(await readReporterIdentity({ db: t.db }, { ...args, actor: investigator })).toHaveLength(1);
    await grantIdentityAccess(
      { db: t.db },
      {
        orgId: ORG,
        caseId: r.caseId,
        userId: investigator.userId,
        actor: po,
        grant: false,
        reason: "done",
        now: NOW,
      },
    );
    await expect(readReporterIdentity({ db: t.db }, { ...args, actor: investigator })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const events = (await listCaseLedger({ db: t.db }, ORG, r.reference)).map((e) => e.eventType);
    expect(events).toEqual([
      "report.received",
      "protection.opened",
      "access.refused",
      "identity.revealed",
      "identity.access_granted",
      "identity.revealed",
      "identity.access_revoked",
      "access.refused",
    ]);
    expect(
      await resolveReporterAccess({ db: t.db }, { orgId: ORG, reportId: r.reportId, userId: reporterUserId }),
    ).toEqual({
      orgId: ORG,
      caseId: r.caseId,
      reportId: r.reportId,
    });
    await expect(
      resolveReporterAccess({ db: t.db }, { orgId: ORG, reportId: r.reportId, userId: investigator.userId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("should open the protection track with both legal bases for a disclosure", async () => {
    const r = await recordReport(
      { db: t.db },
      { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: true, now: NOW },
    );
    const [track] = await t.db.query<{ legal_bases: string[] }>(
      "SELECT legal_bases FROM protection_tracks WHERE case_id = $1",
      [r.caseId],
    );
    expect(track?.legal_bases).toEqual(["pida_protected_disclosure", "equality_act_victimisation"]);
  });

  it("should refuse an empty report and leave the ledger intact", async () => {
    await expect(
      recordReport(
        { db: t.db },
        { orgId: ORG, mode: "anonymous", body: "  ", isDisclosure: false, now: NOW },
      ),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await verifyLedger({ db: t.db }, ORG)).toMatchObject({ intact: true });
  });
});
