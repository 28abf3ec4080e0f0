import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import { DEFAULT_REFERRAL_CATEGORIES } from "../../domain/workflow/referral-categories.ts";
import { selectClocksForCase } from "../../storage/repositories/clock.repository.ts";
import { listCaseLedger } from "../list-case-ledger.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { verifyLedger } from "../verify-ledger.ts";
import { addSubject } from "./add-subject.ts";
import { decideTriage } from "./decide-triage.ts";
import { listNotifications } from "./list-notifications.ts";
import { meetClock } from "./meet-clock.ts";
import { recordReferralCheck } from "./record-referral-check.ts";
import { recordReport } from "./record-report.ts";
import { runClockSweep } from "./run-clock-sweep.ts";
import { sendMessageToReporter } from "./send-message-to-reporter.ts";
import { transitionAllegation } from "./transition-allegation.ts";

const DAY = 86_400_000;
const intake = actor("intake_officer");
const aa = actor("appropriate_authority");
const iopc = actor("oversight");

describe("runClockSweep with a fake clock", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should remind, then report the breach, once each, however often it runs", async () => {
    const t0 = new Date("2030-02-04T10:00:00Z"); // a Monday; far from the other tests' clocks
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: t0,
    });
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    // Acknowledgement due at the end of 11 Feb (London, GMT); reminder from 2 days before.
    expect(await runClockSweep(deps, { now: at(1), orgId: ORG })).toMatchObject({
      reminders: 0,
      breaches: 0,
    });
    const first = await runClockSweep(deps, { now: at(6), orgId: ORG });
    expect(first).toMatchObject({ reminders: 1, breaches: 0 });
    expect(first.notifications).toEqual([
      expect.objectContaining({
        caseId: r.caseId,
        kind: "clock_reminder",
        recipientRole: "appropriate_authority",
      }),
    ]);
    expect(await runClockSweep(deps, { now: at(6.5), orgId: ORG })).toEqual({
      reminders: 0,
      breaches: 0,
      notifications: [],
    });
    const breach = await runClockSweep(deps, { now: at(8), orgId: ORG });
    expect(breach).toMatchObject({ reminders: 0, breaches: 1 });
    expect(breach.notifications.map((n) => n.recipientRole).sort()).toEqual([
      "appropriate_authority",
      "oversight",
    ]);
    expect(await runClockSweep(deps, { now: at(9), orgId: ORG })).toEqual({
      reminders: 0,
      breaches: 0,
      notifications: [],
    });
    // Running two sweeps at once inserts nothing twice either.
    await Promise.all([runClockSweep(deps, { now: at(10) }), runClockSweep(deps, { now: at(10) })]);
    const notes = await listNotifications(deps, { orgId: ORG, caseId: r.caseId });
    expect(notes.map((n) => `${n.kind}:${n.recipientRole}`).sort()).toEqual([
      "clock_breach:appropriate_authority",
      "clock_breach:oversight",
      "clock_reminder:appropriate_authority",
    ]);
    expect(
      (await listNotifications(deps, { orgId: ORG, caseId: r.caseId, roles: ["oversight"] })).length,
    ).toBe(1);
    const events = (await listCaseLedger({ db: t.db }, ORG, r.reference)).map((e) => e.eventType);
    expect(events).toEqual(["report.received", "clock.reminder", "clock.breached"]);
  });

  it("should not remind about a clock that was met", async () => {
    const t0 = new Date("2031-03-03T10:00:00Z");
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: t0,
    });
    await sendMessageToReporter(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      kind: "acknowledgement",
      body: "received",
      now: t0,
    });
    const s = await runClockSweep(deps, { now: new Date(t0.getTime() + 30 * DAY), orgId: ORG });
    expect(s.notifications.filter((n) => n.caseId === r.caseId)).toEqual([]);
  });

  it("should copy oversight on reminders of a referred case and repeat the progress report every 6 months", async () => {
    const t0 = new Date("2032-01-05T10:00:00Z");
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: t0,
    });
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC R",
      status: "officer",
      summary: "s",
      now: t0,
    });
    const b = { orgId: ORG, allegationId, now: t0 };
    await transitionAllegation(deps, { ...b, to: "triage", actor: intake });
    await decideTriage(deps, { ...b, actor: intake, decision: "recorded_conduct_matter", rationale: "r" });
    await transitionAllegation(deps, { ...b, to: "referral_check", actor: aa });
    await recordReferralCheck(deps, {
      ...b,
      actor: aa,
      answers: DEFAULT_REFERRAL_CATEGORIES.map((c) => ({
        category: c.id,
        answer: c.id === "serious_sexual_offence",
      })),
    });
    await transitionAllegation(deps, {
      ...b,
      to: "investigation",
      actor: iopc,
      investigationMode: "directed",
    });
    await sendMessageToReporter(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      kind: "acknowledgement",
      body: "ack",
      now: t0,
    });
    await sendMessageToReporter(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      kind: "feedback",
      body: "fb",
      now: t0,
    });
    const progress = (await selectClocksForCase(t.db, ORG, r.caseId)).find(
      (k) => k.kind === "progress_report",
    );
    expect(progress?.dueAt.toISOString()).toBe("2033-01-06T00:00:00.000Z");
    const s = await runClockSweep(deps, { now: new Date("2032-12-20T00:00:00Z"), orgId: ORG });
    expect(
      s.notifications
        .filter((n) => n.caseId === r.caseId)
        .map((n) => n.recipientRole)
        .sort(),
    ).toEqual(["appropriate_authority", "oversight"]);
    const met = await meetClock(deps, {
      orgId: ORG,
      clockId: progress?.id ?? "",
      actor: actor("investigator"),
      now: new Date("2033-01-02T12:00:00Z"),
    });
    expect(met.clocksStarted).toHaveLength(1);
    const next = (await selectClocksForCase(t.db, ORG, r.caseId)).find((k) => k.id === met.clocksStarted[0]);
    expect(next?.dueAt.toISOString()).toBe("2033-07-05T23:00:00.000Z");
    await expect(
      meetClock(deps, { orgId: ORG, clockId: progress?.id ?? "", actor: aa }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("should start witness-list and pre-hearing clocks when the subject's response is in", async () => {
    const t0 = new Date("2034-06-01T10:00:00Z");
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: t0,
    });
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC W",
      status: "officer",
      summary: "s",
      now: t0,
    });
    const b = { orgId: ORG, allegationId, now: t0 };
    await transitionAllegation(deps, { ...b, to: "triage", actor: intake });
    await decideTriage(deps, { ...b, actor: intake, decision: "recorded_conduct_matter", rationale: "r" });
    await transitionAllegation(deps, { ...b, to: "referral_check", actor: aa });
    await recordReferralCheck(deps, {
      ...b,
      actor: aa,
      answers: DEFAULT_REFERRAL_CATEGORIES.map((c) => ({ category: c.id, answer: false })),
    });
    await transitionAllegation(deps, { ...b, to: "investigation", actor: aa, severity: "gross_misconduct" });
    await transitionAllegation(deps, { ...b, to: "report", actor: actor("investigator") });
    const prep = await transitionAllegation(deps, { ...b, to: "preparation", actor: aa });
    expect(prep.clocksStarted).toHaveLength(1);
    const met = await meetClock(deps, {
      orgId: ORG,
      clockId: prep.clocksStarted[0] ?? "",
      actor: aa,
      now: t0,
    });
    const kinds = (await selectClocksForCase(t.db, ORG, r.caseId))
      .filter((k) => met.clocksStarted.includes(k.id))
      .map((k) => k.kind)
      .sort();
    expect(kinds).toEqual(["pre_hearing", "witness_lists"]);
    const hearing = await transitionAllegation(deps, { ...b, to: "hearing", actor: aa });
    expect(hearing.clocksStopped).toHaveLength(2);
  });

  it("should keep the ledger intact", async () => {
    expect(await verifyLedger(deps, ORG)).toMatchObject({ intact: true });
  });
});
