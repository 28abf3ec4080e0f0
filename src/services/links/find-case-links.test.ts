import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, insertChatEvidence, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { addSubject } from "../cases/add-subject.ts";
import { recordReport } from "../cases/record-report.ts";
import { catalogueVictimItem } from "../victims/catalogue-victim-item.ts";
import { findCaseLinks } from "./find-case-links.ts";

const NOW = new Date("2026-07-01T09:00:00Z");
const intake = actor("intake_officer");
const SHA = "c".repeat(64);
const PHASH = "00ff00ff00ff00ff";

describe("findCaseLinks", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should link cases by subject, chat participant and image, and only to accessible cases", async () => {
    const mk = () =>
      recordReport(deps, { orgId: ORG, mode: "anonymous", body: "b", isDisclosure: false, now: NOW });
    const [a, b, c, d, e] = [await mk(), await mk(), await mk(), await mk(), await mk()];
    if (!a || !b || !c || !d || !e) throw new Error("setup");
    // a: subject PC Alan Smith; chat with "dave jones"; an image.
    await addSubject(deps, {
      orgId: ORG,
      caseId: a.caseId,
      actor: intake,
      name: "PC Alan Smith",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    await insertChatEvidence(t.db, {
      caseRef: a.reference,
      participants: [{ key: "dave jones", name: "Dave Jones" }],
      imageSha256: [SHA],
    });
    await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: a.caseId,
      actor: liaison(),
      ref: { itemKind: "image", imagePhash: PHASH },
      description: "x",
    });
    // b: the same subject (written differently).
    await addSubject(deps, {
      orgId: ORG,
      caseId: b.caseId,
      actor: intake,
      name: "pc ALAN  smith",
      status: "former_officer",
      summary: "s",
      now: NOW,
    });
    // c: Dave Jones is a subject here; the image is in a victims item.
    await addSubject(deps, {
      orgId: ORG,
      caseId: c.caseId,
      actor: intake,
      name: "Dave Jones",
      status: "staff",
      summary: "s",
      now: NOW,
    });
    await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: c.caseId,
      actor: liaison(),
      ref: { itemKind: "image", imageSha256: SHA },
      description: "x",
    });
    // d: same phash; b: a near copy (2 bits differ, given as a bit string); e: nothing in common.
    await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: b.caseId,
      actor: liaison(),
      ref: {
        itemKind: "image",
        imagePhash: "0000000111111111" + "0000000011111111".repeat(2) + "0000000011111110",
      },
      description: "x",
    });
    await catalogueVictimItem(deps, {
      orgId: ORG,
      caseId: d.caseId,
      actor: liaison(),
      ref: { itemKind: "image", imagePhash: PHASH },
      description: "x",
    });
    await addSubject(deps, {
      orgId: ORG,
      caseId: e.caseId,
      actor: intake,
      name: "Someone Else",
      status: "officer",
      summary: "s",
      now: NOW,
    });

    const all = [a, b, c, d, e].map((x) => x.caseId);
    const links = await findCaseLinks(deps, { orgId: ORG, caseId: a.caseId, accessibleCaseIds: all });
    expect(links.map((l) => `${l.otherReference}|${l.kind}|${l.key}|${l.here}|${l.there}`)).toEqual([
      `${b.reference}|person|pc alan smith|subject|subject`,
      `${c.reference}|image|${SHA}|sha256|sha256`,
      `${c.reference}|person|dave jones|chat_participant|subject`,
      `${d.reference}|image|${PHASH}|phash|phash`,
      `${b.reference}|image|${PHASH}|phash|phash:01ff00ff00ff00fe`,
    ]);
    expect(links.at(-1)?.distance).toBe(2);
    const exactOnly = await findCaseLinks(deps, {
      orgId: ORG,
      caseId: a.caseId,
      accessibleCaseIds: all,
      phashMaxDistance: 0,
    });
    expect(exactOnly.some((l) => l.there.startsWith("phash:"))).toBe(false);
    const limited = await findCaseLinks(deps, {
      orgId: ORG,
      caseId: a.caseId,
      accessibleCaseIds: [a.caseId, d.caseId, e.caseId],
    });
    expect(limited.map((l) => l.otherCaseId)).toEqual([d.caseId]);
    await expect(
      findCaseLinks(deps, { orgId: ORG, caseId: a.caseId, accessibleCaseIds: [b.caseId] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await findCaseLinks(deps, { orgId: ORG, caseId: e.caseId, accessibleCaseIds: all })).toEqual([]);
  });
});

function liaison() {
  return actor("victim_liaison");
}
