import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, ORG } from "../../../tests/helpers/case-fixtures.ts";
import { useTestDb } from "../../../tests/helpers/test-db.ts";
import type { TestDb } from "../../storage/test-databases.ts";
import { addSubject } from "./add-subject.ts";
import { assignToCase } from "./assign-to-case.ts";
import { getCaseDetail } from "./get-case-detail.ts";
import { isAssigned } from "./is-assigned.ts";
import { listAssignedUsers } from "./list-assigned-users.ts";
import { listCasesForUser } from "./list-cases-for-user.ts";
import { listReporterReports } from "./list-reporter-reports.ts";
import { recordReport } from "./record-report.ts";
import { unassignFromCase } from "./unassign-from-case.ts";

const NOW = new Date("2026-08-03T09:00:00Z");

describe("case detail and assignments", () => {
  let t: TestDb;
  let deps: { db: TestDb["db"] };
  beforeAll(async () => {
    t = await useTestDb();
    deps = { db: t.db };
  });
  afterAll(() => t.drop());

  it("should show the case with allegations, allowed moves, clocks and protection, but no identity", async () => {
    const reporterUserId = "55555555-5555-4555-8555-555555555555";
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "confidential",
      identity: { fullName: "Jane Reporter" },
      reporterUserId,
      body: "the chat",
      isDisclosure: true,
      now: NOW,
    });
    await addSubject(deps, {
      orgId: ORG,
      caseId: r.caseId,
      actor: actor("intake_officer"),
      name: "PC X",
      status: "officer",
      summary: "s",
      now: NOW,
    });
    const d = await getCaseDetail(deps, { orgId: ORG, caseId: r.caseId });
    expect(d.case.reference).toBe(r.reference);
    expect(d.allegations).toEqual([
      expect.objectContaining({ state: "received", stateLabel: "Received", allowedMoves: ["triage"] }),
    ]);
    expect(d.clocks.map((k) => k.kind)).toEqual(["acknowledgement", "feedback"]);
    expect(d.protection?.legalBases).toHaveLength(2);
    expect(JSON.stringify(d)).not.toContain("Jane Reporter");
    expect(await listReporterReports(deps, { orgId: ORG, userId: reporterUserId })).toEqual([
      { reportId: r.reportId, caseId: r.caseId, reference: r.reference, receivedAt: NOW },
    ]);
  });

  it("should assign, list and unassign, refusing people without authority", async () => {
    const r = await recordReport(deps, {
      orgId: ORG,
      mode: "anonymous",
      body: "b",
      isDisclosure: false,
      now: NOW,
    });
    const aa = actor("appropriate_authority");
    const user = "66666666-6666-4666-8666-666666666666";
    expect(
      await assignToCase(deps, {
        orgId: ORG,
        caseId: r.caseId,
        userId: user,
        role: "investigator",
        actor: aa,
        now: NOW,
      }),
    ).toEqual({ created: true });
    expect(
      await assignToCase(deps, {
        orgId: ORG,
        caseId: r.caseId,
        userId: user,
        role: "investigator",
        actor: aa,
        now: NOW,
      }),
    ).toEqual({ created: false });
    await expect(
      assignToCase(deps, {
        orgId: ORG,
        caseId: r.caseId,
        userId: user,
        role: "investigator",
        actor: actor("investigator"),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await isAssigned(deps, { orgId: ORG, caseId: r.caseId, userId: user })).toBe(true);
    expect(await isAssigned(deps, { orgId: ORG, caseId: r.caseId, userId: user, role: "oversight" })).toBe(
      false,
    );
    expect(
      (await listAssignedUsers(deps, { orgId: ORG, caseId: r.caseId })).map((a) => [a.userId, a.role]),
    ).toEqual([[user, "investigator"]]);
    expect(await listCasesForUser(deps, { orgId: ORG, userId: user })).toEqual([r.caseId]);
    expect(
      await unassignFromCase(deps, {
        orgId: ORG,
        caseId: r.caseId,
        userId: user,
        role: "investigator",
        actor: aa,
        reason: "conflict found",
      }),
    ).toEqual({ removed: true });
    expect(await isAssigned(deps, { orgId: ORG, caseId: r.caseId, userId: user })).toBe(false);
  });
});
