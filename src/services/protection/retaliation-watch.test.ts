import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, insertChatEvidence, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import { listCaseLedger } from "../list-case-ledger.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { addSubject } from "../cases/add-subject.ts";
import { recordReport } from "../cases/record-report.ts";
import { transitionAllegation } from "../cases/transition-allegation.ts";
import { checkUserConflict } from "../conflicts/check-user-conflict.ts";
import { decideParticipantMatch } from "../conflicts/decide-participant-match.ts";
import { listConflictKeys } from "../conflicts/list-conflict-keys.ts";
import { verifyLedger } from "../verify-ledger.ts";
import { listAdverseEvents } from "./list-adverse-events.ts";
import { recordAdverseEvent } from "./record-adverse-event.ts";
import { reviewAdverseEvent } from "./review-adverse-event.ts";
import { updateProtectionTrack } from "./update-protection-track.ts";

const T0 = new Date("2026-05-11T09:00:00Z");
const hr = actor();
const po = actor("protection_officer");
const aa = actor("appropriate_authority");
const intake = actor("intake_officer");

describe("protection track and retaliation watch", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should flag an adverse event after the disclosure, even after the case closed, and require an independent review", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "confidential",
      identity: { fullName: "Jane" },
      body: "b",
      isDisclosure: true,
      now: T0,
    });
    const { allegationId } = await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "Insp Kay Brown",
      status: "officer",
      summary: "s",
      now: T0,
    });
    await updateProtectionTrack(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: po,
      update: { kind: "risk_assessment", level: "high", assessment: "line manager is a member of the group" },
      now: T0,
    });
    await updateProtectionTrack(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: po,
      update: { kind: "plan", plan: "weekly contact; HR changes to be notified" },
      now: T0,
    });
    await expect(
      updateProtectionTrack(deps, {
        orgId: ORG,
        caseId: r.caseId,
        actor: aa,
        update: { kind: "plan", plan: "x" },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const before = await recordAdverseEvent(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: hr,
      recorderFunction: "hr",
      kind: "appraisal",
      description: "annual appraisal",
      occurredAt: new Date("2026-04-01T00:00:00Z"),
      now: T0,
    });
    expect(before.flagged).toBe(false);
    const next = await recordAdverseEvent(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: hr,
      recorderFunction: "hr",
      kind: "job_offer_withdrawn",
      description: "offer withdrawn",
      occurredAt: new Date("2026-05-12T09:00:00Z"),
      now: T0,
    });
    expect(next).toMatchObject({ flagged: true });

    // The case closes; protection does not.
    await transitionAllegation(deps, { orgId: ORG, allegationId, to: "triage", actor: intake, now: T0 });
    const late = await recordAdverseEvent(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: hr,
      recorderFunction: "hr",
      kind: "vetting_review",
      description: "vetting review",
      occurredAt: new Date("2027-06-01T09:00:00Z"),
      now: new Date("2027-06-02T09:00:00Z"),
    });
    expect(late.flagged).toBe(true);

    const review = {
      orgId: ORG,
      eventId: next.eventId,
      decision: "not_justified" as const,
      justification: "no business reason given",
    };
    await expect(
      reviewAdverseEvent(deps, {
        ...review,
        actor: { ...hr, roles: ["appropriate_authority"] },
        reviewerName: "HR Person",
      }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      userMessage: expect.stringContaining("recorded") as unknown,
    });
    await expect(
      reviewAdverseEvent(deps, {
        ...review,
        actor: aa,
        reviewerName: "insp  KAY brown",
      }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      userMessage: expect.stringContaining("subject") as unknown,
    });
    await reviewAdverseEvent(deps, { ...review, actor: aa, reviewerName: "Independent Reviewer" });
    await expect(
      reviewAdverseEvent(deps, { ...review, actor: po, reviewerName: "Someone Else" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      reviewAdverseEvent(deps, { ...review, eventId: before.eventId, actor: po, reviewerName: "P O" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const events = await listAdverseEvents(deps, { orgId: ORG, caseId: r.caseId, actor: po });
    expect(events.map((e) => [e.kind, e.flagged, e.reviewStatus, e.reviewDecision])).toEqual([
      ["appraisal", false, "not_required", null],
      ["job_offer_withdrawn", true, "reviewed", "not_justified"],
      ["vetting_review", true, "awaiting_review", null],
    ]);
    const ledger = (await listCaseLedger({ db: t.db }, ORG, r.reference)).map((e) => e.eventType);
    expect(ledger.filter((e) => e.startsWith("adverse_event."))).toEqual([
      "adverse_event.recorded",
      "adverse_event.recorded",
      "adverse_event.recorded",
      "adverse_event.reviewed",
    ]);
    expect(ledger.filter((e) => e === "access.refused")).toHaveLength(2);

    await updateProtectionTrack(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: po,
      update: { kind: "close", reason: "reporter left the force, agreed" },
      now: new Date("2028-01-01T00:00:00Z"),
    });
    const after = await recordAdverseEvent(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: hr,
      recorderFunction: "hr",
      kind: "other",
      description: "x",
      occurredAt: new Date("2028-02-01T00:00:00Z"),
    });
    expect(after.flagged).toBe(false);
  });

  it("should not flag anything on a case without a disclosure", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: T0,
    });
    const e = await recordAdverseEvent(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      recorderFunction: "intake",
      kind: "posting",
      description: "moved",
      occurredAt: new Date("2026-06-01T00:00:00Z"),
    });
    expect(e.flagged).toBe(false);
  });
});

describe("conflict keys", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should list chat participants, management chains and subjects, and find users among them", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: T0,
    });
    await insertChatEvidence(t.db, {
      caseRef: r.reference,
      participants: [
        { key: "dave jones", name: "Dave Jones" },
        { key: "+447700900123", name: "+44 7700 900123" },
      ],
    });
    await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: intake,
      name: "PC Alan Smith",
      status: "officer",
      managers: ["Sgt Jo Bloggs", "Insp Kay Brown"],
      summary: "s",
      now: T0,
    });
    const keys = await listConflictKeys(deps, { orgId: ORG, caseId: r.caseId });
    expect(keys.map((k) => `${k.source}:${k.key}`).sort()).toEqual([
      "chat_participant:+447700900123",
      "chat_participant:dave jones",
      "management_chain:insp kay brown",
      "management_chain:sgt jo bloggs",
      "subject:pc alan smith",
    ]);
    const u1 = "22222222-2222-4222-8222-222222222222";
    expect(
      await checkUserConflict(deps, { orgId: ORG, caseId: r.caseId, userId: u1, names: ["Sgt Jo  Bloggs"] }),
    ).toMatchObject({ conflicted: true, reasons: [{ source: "management_chain", via: "name" }] });
    expect(
      (await checkUserConflict(deps, { orgId: ORG, caseId: r.caseId, userId: u1, names: ["Other Person"] }))
        .conflicted,
    ).toBe(false);
    const admin = actor("admin");
    await expect(
      decideParticipantMatch(deps, {
        orgId: ORG,
        actor: aa,
        userId: u1,
        person: "+44 7700 900123",
        status: "confirmed",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await decideParticipantMatch(deps, {
      orgId: ORG,
      actor: admin,
      userId: u1,
      person: "+44 7700 900123",
      status: "confirmed",
      reason: "their work phone",
    });
    expect(
      await checkUserConflict(deps, { orgId: ORG, caseId: r.caseId, userId: u1, names: ["Other Person"] }),
    ).toMatchObject({ conflicted: true, reasons: [{ key: "+447700900123", via: "confirmed_match" }] });
    // Another user called Dave Jones, cleared by an admin as a different person.
    const u2 = "33333333-3333-4333-8333-333333333333";
    expect(
      (await checkUserConflict(deps, { orgId: ORG, caseId: r.caseId, userId: u2, names: ["Dave Jones"] }))
        .conflicted,
    ).toBe(true);
    await decideParticipantMatch(deps, {
      orgId: ORG,
      actor: admin,
      userId: u2,
      person: "Dave Jones",
      status: "cleared",
      reason: "different Dave Jones (HR)",
    });
    expect(
      (await checkUserConflict(deps, { orgId: ORG, caseId: r.caseId, userId: u2, names: ["Dave Jones"] }))
        .conflicted,
    ).toBe(false);
    expect(await verifyLedger(deps, ORG)).toMatchObject({ intact: true });
  });
});
