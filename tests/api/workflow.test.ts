/**
 * A case through the workflow over HTTP: subject, triage "not recorded" needing a second reviewer, the
 * reviewer's decision, referral check, and nested ids refused when they belong to another case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignToCase } from "../../src/services/cases/assign-to-case.ts";
import { createTestApp, ORG, type SignedIn, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let intake: SignedIn;
let aa: SignedIn;
let aa2: SignedIn;

async function openCase(): Promise<string> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/public/reports",
    payload: { mode: "anonymous", body: "sexist memes in the team chat" },
  });
  const [c] = await t.db.query("SELECT id FROM cases WHERE reference = $1", [res.json().reference]);
  const caseId = String(c?.id);
  for (const s of [intake, aa, aa2]) {
    await assignToCase(
      { db: t.db },
      {
        orgId: ORG,
        caseId,
        userId: s.user.id,
        role: s.user.role,
        actor: { userId: t.users.admin.id, roles: ["admin"] },
      },
    );
  }
  return caseId;
}

beforeAll(async () => {
  t = await createTestApp();
  intake = await t.as("intake_officer");
  aa = await t.as("appropriate_authority");
  aa2 = await t.signIn((await t.makeUser("appropriate_authority", "Second Reviewer")).email);
});
afterAll(async () => t.close());

describe("workflow over HTTP", () => {
  it("should need a second reviewer for 'not recorded' and refuse the decider reviewing it", async () => {
    const caseId = await openCase();
    const sub = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/subjects`,
      headers: intake.headers,
      payload: {
        name: "Sam Subject",
        status: "officer",
        managers: ["Lee Manager"],
        summary: "posted images",
      },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const { allegationId } = sub.json();
    const toTriage = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/allegations/${allegationId}/transitions`,
      headers: intake.headers,
      payload: { to: "triage" },
    });
    expect(toTriage.statusCode, toTriage.body).toBe(200);
    const dec = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/allegations/${allegationId}/triage`,
      headers: intake.headers,
      payload: {
        decision: "not_recorded",
        rationale: "banter",
        noticeToReporter: "We will not record this.",
      },
    });
    expect(dec.statusCode, dec.body).toBe(200);
    expect(dec.json().status).toBe("awaiting_review");
    const { decisionId } = dec.json();
    const review = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/triage/${decisionId}/review`,
      headers: aa2.headers,
      payload: { agree: false, comment: "Discriminatory content: record it." },
    });
    expect(review.statusCode, review.body).toBe(200);
    const subjects = await t.app.inject({
      url: `/api/cases/${caseId}/subjects`,
      headers: { cookie: aa.cookie },
    });
    expect(subjects.json().allegations[0].state).not.toBe("not_recorded");
  });

  it("should answer 409 for an illegal move, naming it", async () => {
    const caseId = await openCase();
    const sub = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/subjects`,
      headers: intake.headers,
      payload: { name: "Pat Subject", status: "staff", summary: "endorsed posts" },
    });
    const res = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/allegations/${sub.json().allegationId}/transitions`,
      headers: aa.headers,
      payload: { to: "closed" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("CONFLICT");
  });

  it("should refuse an allegation of another case under this case's path", async () => {
    const a = await openCase();
    const b = await openCase();
    const sub = await t.app.inject({
      method: "POST",
      url: `/api/cases/${b}/subjects`,
      headers: intake.headers,
      payload: { name: "Other Subject", status: "officer", summary: "x" },
    });
    const res = await t.app.inject({
      method: "POST",
      url: `/api/cases/${a}/allegations/${sub.json().allegationId}/transitions`,
      headers: intake.headers,
      payload: { to: "triage" },
    });
    expect(res.statusCode).toBe(404);
  });

  it("should show clocks started at intake", async () => {
    const caseId = await openCase();
    const res = await t.app.inject({
      url: `/api/cases/${caseId}/clocks`,
      headers: { cookie: intake.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().clocks.length).toBeGreaterThan(0);
  });
});
