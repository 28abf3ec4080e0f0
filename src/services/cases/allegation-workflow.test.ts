import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import { DEFAULT_REFERRAL_CATEGORIES } from "../../domain/workflow/referral-categories.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { selectClocksForCase } from "../../storage/repositories/clock.repository.ts";
import { listCaseLedger } from "../list-case-ledger.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { verifyLedger } from "../verify-ledger.ts";
import { addSubject } from "./add-subject.ts";
import { authenticateAnonymousReporter } from "./authenticate-reporter.ts";
import { decideTriage } from "./decide-triage.ts";
import { readReporterView } from "./read-reporter-view.ts";
import { recordReferralCheck } from "./record-referral-check.ts";
import { recordReport } from "./record-report.ts";
import { reviewTriageDecision } from "./review-triage-decision.ts";
import { transitionAllegation } from "./transition-allegation.ts";

const NOW = new Date("2026-01-15T10:00:00Z");
const intake = actor("intake_officer");
const intake2 = actor("intake_officer");
const aa = actor("appropriate_authority");
const inv = actor("investigator");
const iopc = actor("oversight");
const answers = (yes: string[]) =>
  DEFAULT_REFERRAL_CATEGORIES.map((c) => ({ category: c.id, answer: yes.includes(c.id) }));

describe("allegation workflow use cases", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  async function newCase() {
    return recordReport(deps, { orgId: ORG, mode: "anonymous", body: "chat", isDisclosure: true, now: NOW });
  }

  it("should open one allegation per subject per regime", async () => {
    const r = await newCase();
    const a = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Alan Smith",
      status: "officer",
      managers: ["Sgt Jo Bloggs", "Insp Kay Brown"],
      summary: "posted images",
      now: NOW,
    });
    const b = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "Bob Contractor",
      status: "contractor",
      summary: "endorsed",
      now: NOW,
    });
    expect([a.regime, b.regime]).toEqual(["police_conduct_regulations", "contract_and_vetting"]);
    expect(a.state).toBe("received");
    await expect(
      addSubject(deps, {
        orgId: ORG,
        caseId: r.caseId,
        actor: intake,
        name: "pc  alan SMITH",
        status: "officer",
        summary: "again",
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // The same person under another regime (e.g. retired since) gets a second allegation.
    const c = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Alan Smith",
      status: "former_officer",
      summary: "after retirement",
      now: NOW,
    });
    expect(c.subjectId).toBe(a.subjectId);
    expect(c.allegationId).not.toBe(a.allegationId);
  });

  it("should take an allegation from report to closure, with clocks, and close the case", async () => {
    const r = await newCase();
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC One",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    const base = { orgId: ORG, allegationId, now: NOW };
    await transitionAllegation(deps, { ...base, to: "triage", actor: intake });
    expect(
      await decideTriage(deps, {
        ...base,
        actor: intake,
        decision: "recorded_conduct_matter",
        rationale: "sexist images",
      }),
    ).toMatchObject({ status: "final", state: "recorded" });
    await transitionAllegation(deps, { ...base, to: "referral_check", actor: aa });
    expect(
      await recordReferralCheck(deps, { ...base, actor: aa, answers: answers(["discrimination"]) }),
    ).toMatchObject({ referralRequired: true, state: "referred" });
    await expect(
      transitionAllegation(deps, { ...base, to: "investigation", actor: iopc }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const inv1 = await transitionAllegation(deps, {
      ...base,
      to: "investigation",
      actor: iopc,
      investigationMode: "independent",
    });
    expect(inv1.clocksStarted).toHaveLength(1);
    const clocks = await selectClocksForCase(t.db, ORG, r.caseId);
    // 12 months from when the report arrived (15 Jan 2026), end of that day in London.
    expect(clocks.find((k) => k.kind === "progress_report")?.dueAt.toISOString()).toBe(
      "2027-01-16T00:00:00.000Z",
    );
    await transitionAllegation(deps, { ...base, to: "paused_criminal", actor: inv });
    await transitionAllegation(deps, { ...base, to: "investigation", actor: inv });
    const rep = await transitionAllegation(deps, { ...base, to: "report", actor: inv });
    expect(rep.clocksStopped).toHaveLength(1);
    await transitionAllegation(deps, { ...base, to: "preparation", actor: aa });
    await transitionAllegation(deps, { ...base, to: "hearing", actor: aa });
    await transitionAllegation(deps, {
      ...base,
      to: "outcome",
      actor: aa,
      outcome: "would_have_been_dismissed",
    });
    await transitionAllegation(deps, { ...base, to: "lists", actor: aa, listKind: "barred" });
    const end = await transitionAllegation(deps, { ...base, to: "closed", actor: aa });
    expect(end.caseClosed).toBe(true);
    expect((await findCase(t.db, ORG, r.caseId))?.closedAt).not.toBeNull();
    const events = (await listCaseLedger({ db: t.db }, ORG, r.reference)).map((e) => e.eventType);
    expect(events.filter((e) => e === "allegation.transitioned")).toHaveLength(13);
    expect(events).toContain("triage.decided");
    expect(events).toContain("referral.checked");
  });

  it("should refuse an illegal move naming the state and the allowed moves", async () => {
    const r = await newCase();
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Two",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    await expect(
      transitionAllegation(deps, {
        orgId: ORG,
        allegationId,
        to: "investigation",
        actor: aa,
        severity: "misconduct",
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      userMessage: `Allegation ${allegationId}: cannot move from 'received' to 'investigation'; allowed moves: triage`,
    });
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "triage", actor: intake });
    // Ending triage through the generic move, without a typed decision, is refused.
    await expect(
      transitionAllegation(deps, { orgId: ORG, allegationId, to: "recorded", actor: intake }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      transitionAllegation(deps, { orgId: ORG, allegationId, to: "recorded", actor: inv }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("should require a different second reviewer for not_recorded, then notify the reporter", async () => {
    const r = await newCase();
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Three",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "triage", actor: intake });
    await expect(
      decideTriage(deps, {
        orgId: ORG,
        allegationId,
        actor: intake,
        decision: "not_recorded",
        rationale: "no conduct issue",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const d = await decideTriage(deps, {
      orgId: ORG,
      allegationId,
      actor: intake,
      decision: "not_recorded",
      rationale: "no conduct issue",
      noticeToReporter: "We decided not to record this, because ...",
      now: NOW,
    });
    expect(d).toMatchObject({ status: "awaiting_review", state: "triage" });
    await expect(
      reviewTriageDecision(deps, {
        orgId: ORG,
        decisionId: d.decisionId,
        actor: intake,
        agree: true,
        comment: "fine",
        now: NOW,
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      userMessage: expect.stringContaining("different user") as unknown,
    });
    const access = await authenticateAnonymousReporter(deps, {
      receiptCode: r.receiptCode ?? "",
      passphrase: r.passphrase ?? "",
    });
    expect((await readReporterView(deps, access)).messages).toEqual([]);
    const ok = await reviewTriageDecision(deps, {
      orgId: ORG,
      decisionId: d.decisionId,
      actor: intake2,
      agree: true,
      comment: "agree",
      now: NOW,
    });
    expect(ok.state).toBe("not_recorded");
    const view = await readReporterView(deps, access);
    expect(view.status).toBe("not_recorded");
    expect(view.messages.map((m) => [m.kind, m.body])).toEqual([
      ["notice", "We decided not to record this, because ..."],
    ]);
    await expect(
      reviewTriageDecision(deps, {
        orgId: ORG,
        decisionId: d.decisionId,
        actor: intake2,
        agree: true,
        comment: "again",
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("should leave a rejected not_recorded decision in triage", async () => {
    const r = await newCase();
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Four",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "triage", actor: intake });
    const d = await decideTriage(deps, {
      orgId: ORG,
      allegationId,
      actor: intake,
      decision: "not_recorded",
      rationale: "r",
      noticeToReporter: "n",
    });
    expect(
      await reviewTriageDecision(deps, {
        orgId: ORG,
        decisionId: d.decisionId,
        actor: aa,
        agree: false,
        comment: "record it",
      }),
    ).toEqual({ state: "triage", noticeMessageIds: [] });
    expect(
      await decideTriage(deps, {
        orgId: ORG,
        allegationId,
        actor: aa,
        decision: "recorded_complaint",
        rationale: "r2",
      }),
    ).toMatchObject({ state: "recorded" });
  });

  it("should refuse an incomplete referral check and route an all-no check to severity assessment", async () => {
    const r = await newCase();
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Five",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "triage", actor: intake });
    await decideTriage(deps, {
      orgId: ORG,
      allegationId,
      actor: intake,
      decision: "recorded_conduct_matter",
      rationale: "r",
    });
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "referral_check", actor: aa });
    await expect(
      recordReferralCheck(deps, { orgId: ORG, allegationId, actor: aa, answers: answers([]).slice(1) }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(
      await recordReferralCheck(deps, { orgId: ORG, allegationId, actor: aa, answers: answers([]) }),
    ).toMatchObject({ referralRequired: false, state: "severity_assessment" });
    const rp = await transitionAllegation(deps, {
      orgId: ORG,
      allegationId,
      to: "rp_notice",
      actor: aa,
      now: new Date("2026-03-31T09:00:00Z"),
    });
    const clocks = await selectClocksForCase(t.db, ORG, r.caseId);
    // Tue 31 Mar 2026 + 5 working days, skipping Good Friday (3 Apr) and Easter Monday (6 Apr): 1, 2, 7, 8, 9 -> Thu 9 Apr (BST).
    expect(clocks.find((k) => k.id === rp.clocksStarted[0])?.dueAt.toISOString()).toBe(
      "2026-04-09T23:00:00.000Z",
    );
  });

  it("should keep the ledger intact", async () => {
    expect(await verifyLedger(deps, ORG)).toMatchObject({ intact: true });
  });
});
