import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import { listCaseLedger } from "../list-case-ledger.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { recordReport } from "../cases/record-report.ts";
import { listNdas } from "../ndas/list-ndas.ts";
import { registerNda } from "../ndas/register-nda.ts";
import { updateNda } from "../ndas/update-nda.ts";
import { verifyLedger } from "../verify-ledger.ts";
import { catalogueVictimItem } from "./catalogue-victim-item.ts";
import { listVictimItems } from "./list-victim-items.ts";
import { recordVictimDecision } from "./record-victim-decision.ts";

const NOW = new Date("2026-06-01T09:00:00Z");
const liaison = actor("victim_liaison");
const inv = actor("investigator");
const aa = actor("appropriate_authority");
type Step = Parameters<typeof recordVictimDecision>[1]["step"];
type NdaStep = Parameters<typeof updateNda>[1]["step"];

describe("victims track", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should catalogue items by reference, keep the identification restricted and out of the ledger, and check decisions", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: NOW,
    });
    const img = await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: inv,
      ref: { itemKind: "image", imageSha256: "b".repeat(64) },
      description: "image of a woman shared in the group",
      now: NOW,
    });
    await expect(
      catalogueVictimItem(deps, {
        orgId: ORG,
        caseId: r.caseId,
        actor: inv,
        ref: { itemKind: "image" },
        description: "no hash",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const step = (s: Step, who = liaison) =>
      recordVictimDecision(deps, { orgId: ORG, itemId: img.itemId, actor: who, step: s, now: NOW });
    await expect(
      step({ kind: "identification", status: "identified", identifiedPerson: "Mary X" }, inv),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      step({ kind: "notification", decision: "notified_support_offered", reason: "r" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await step({ kind: "identification", status: "identified", identifiedPerson: "Mary X" });
    await step({
      kind: "notification",
      decision: "notified_support_offered",
      reason: "told in person; support details given",
    });
    await step(
      {
        kind: "referral",
        offence: "intimate image abuse (sharing without consent)",
        referredTo: "force crime team",
      },
      inv,
    );

    const forLiaison = await listVictimItems(deps, { orgId: ORG, caseId: r.caseId, actor: liaison });
    expect(forLiaison[0]).toMatchObject({
      identifiedPerson: "Mary X",
      notificationDecision: "notified_support_offered",
      referredTo: "force crime team",
    });
    const forInv = await listVictimItems(deps, { orgId: ORG, caseId: r.caseId, actor: inv });
    expect(forInv[0]?.identifiedPerson).toBe("restricted");
    const ledger = await listCaseLedger({ db: t.db }, ORG, r.reference);
    expect(JSON.stringify(ledger)).not.toContain("Mary X");
    expect(ledger.map((e) => e.eventType)).toEqual([
      "report.received",
      "victim.catalogued",
      "victim.identification",
      "victim.notification",
      "victim.referral",
    ]);
  });

  it("should accept not_notified_unidentifiable only for an unidentifiable person", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: NOW,
    });
    const m = await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: liaison,
      ref: { itemKind: "message", exportId: "44444444-4444-4444-8444-444444444444", recordIdx: 12 },
      description: "message naming a member of the public",
    });
    const s = (step: Step) =>
      recordVictimDecision(deps, { orgId: ORG, itemId: m.itemId, actor: liaison, step });
    await expect(
      s({ kind: "notification", decision: "not_notified_unidentifiable", reason: "no name" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await s({ kind: "identification", status: "unidentifiable" });
    await s({
      kind: "notification",
      decision: "not_notified_unidentifiable",
      reason: "first name only, no other detail",
    });
  });
});

describe("NDA register", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should register, assess, send the release letter and record the acknowledgement, in order", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: NOW,
    });
    const old = await registerNda(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: aa,
      parties: ["Force", "Former contractor"],
      agreementDate: "2024-05-01",
      clauseText: "shall not disclose to any person...",
      now: NOW,
    });
    const u = (ndaId: string, step: NdaStep) =>
      updateNda(deps, { orgId: ORG, ndaId, actor: aa, step, now: NOW });
    await expect(
      u(old.ndaId, { kind: "assessment", assessment: "void_victim_of_crime", reason: "r" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      userMessage: expect.stringContaining("2025-10-01") as unknown,
    });
    await expect(u(old.ndaId, { kind: "release_letter_sent" })).rejects.toMatchObject({ code: "CONFLICT" });
    await u(old.ndaId, {
      kind: "assessment",
      assessment: "void_protected_disclosure",
      reason: "stops protected disclosures",
    });
    await expect(u(old.ndaId, { kind: "acknowledged" })).rejects.toMatchObject({ code: "CONFLICT" });
    await u(old.ndaId, { kind: "release_letter_sent" });
    await u(old.ndaId, { kind: "acknowledged" });
    const recent = await registerNda(deps, {
      orgId: ORG,
      actor: aa,
      parties: ["Force", "Officer"],
      agreementDate: "2025-11-15",
      clauseText: "not to speak to police or family",
      now: NOW,
    });
    await u(recent.ndaId, {
      kind: "assessment",
      assessment: "void_victim_of_crime",
      reason: "victim of crime",
    });
    const all = await listNdas(deps, { orgId: ORG, actor: aa });
    expect(
      all.map((n) => [
        n.agreementDate,
        n.assessment,
        n.releaseLetterSentAt !== null,
        n.acknowledgedAt !== null,
      ]),
    ).toEqual([
      ["2024-05-01", "void_protected_disclosure", true, true],
      ["2025-11-15", "void_victim_of_crime", false, false],
    ]);
    await expect(listNdas(deps, { orgId: ORG, actor: inv })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await verifyLedger(deps, ORG)).toMatchObject({ intact: true });
  });
});
