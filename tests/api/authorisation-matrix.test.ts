/**
 * The authorisation matrix: every case route x every role x (assigned / not assigned / conflicted),
 * plus the organisation-wide routes x every role, plus no session. Expectations come from the policy
 * table and the access rules written out below; every refusal must leave an access.refused entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../src/contract/api-common.ts";
import { roleMay, type Action } from "../../src/domain/access/policy.ts";
import { personKey } from "../../src/domain/people/person-key.ts";
import { assignToCase } from "../../src/services/cases/assign-to-case.ts";
import { insertManager, insertSubject } from "../../src/storage/repositories/allegation.repository.ts";
import { createTestApp, ORG, type SignedIn, type TestApp } from "../helpers/test-app.ts";
import { chainPendingLedger } from "../../src/storage/repositories/ledger.repository.ts";

type Relation = "assigned" | "not_assigned" | "conflicted";
const RELATIONS: Relation[] = ["assigned", "not_assigned", "conflicted"];

interface CaseRoute {
  name: string;
  action: Action;
  method: "GET" | "POST";
  url: (caseId: string) => string;
  payload?: () => Record<string, unknown>;
}

let t: TestApp;
let caseId: string;
let target: string;
const people = new Map<string, SignedIn>();

const ROUTES: CaseRoute[] = [
  { name: "read case", action: "case.read", method: "GET", url: (c) => `/api/cases/${c}` },
  { name: "case ledger", action: "case.ledger", method: "GET", url: (c) => `/api/cases/${c}/ledger` },
  {
    name: "list assignments",
    action: "assignment.read",
    method: "GET",
    url: (c) => `/api/cases/${c}/assignments`,
  },
  {
    name: "assign",
    action: "assignment.manage",
    method: "POST",
    url: (c) => `/api/cases/${c}/assignments`,
    payload: () => ({ userId: target, role: "investigator" }),
  },
  { name: "read notes", action: "note.read", method: "GET", url: (c) => `/api/cases/${c}/notes` },
  {
    name: "write note",
    action: "note.write",
    method: "POST",
    url: (c) => `/api/cases/${c}/notes`,
    payload: () => ({ body: "note" }),
  },
  { name: "read messages", action: "message.read", method: "GET", url: (c) => `/api/cases/${c}/messages` },
  {
    name: "message reporter",
    action: "message.send",
    method: "POST",
    url: (c) => `/api/cases/${c}/messages`,
    payload: () => ({ body: "hello" }),
  },
  {
    name: "reveal identity",
    action: "identity.reveal",
    method: "POST",
    url: (c) => `/api/cases/${c}/identity/reveal`,
    payload: () => ({ purpose: "to arrange protection" }),
  },
  {
    name: "grant identity access",
    action: "identity.grant",
    method: "POST",
    url: (c) => `/api/cases/${c}/identity/grants`,
    payload: () => ({ userId: target, grant: true, reason: "needs to contact the reporter" }),
  },
  { name: "list evidence", action: "evidence.read", method: "GET", url: (c) => `/api/cases/${c}/evidence` },
  { name: "read subjects", action: "subject.read", method: "GET", url: (c) => `/api/cases/${c}/subjects` },
  {
    name: "add subject",
    action: "subject.write",
    method: "POST",
    url: (c) => `/api/cases/${c}/subjects`,
    payload: () => ({ name: `Subject ${Math.random()}`, status: "officer", summary: "shared images" }),
  },
  {
    name: "adverse events",
    action: "protection.read",
    method: "GET",
    url: (c) => `/api/cases/${c}/protection/events`,
  },
  { name: "victim worklist", action: "victim.read", method: "GET", url: (c) => `/api/cases/${c}/victims` },
  { name: "cross-case links", action: "link.read", method: "GET", url: (c) => `/api/cases/${c}/links` },
  { name: "clocks", action: "case.clocks", method: "GET", url: (c) => `/api/cases/${c}/clocks` },
  {
    name: "conflict check",
    action: "conflict.decide",
    method: "GET",
    url: (c) => `/api/cases/${c}/conflicts?userId=${target}`,
  },
];

const ADMIN_CASE_ACTIONS: Action[] = ["assignment.read", "assignment.manage", "conflict.decide"];

/** The rule under test, written out independently of authorize.ts. */
function expectAllowed(role: Role, action: Action, rel: Relation): boolean {
  if (!roleMay(role, action)) {
    return false;
  }
  if (role === "admin" && ADMIN_CASE_ACTIONS.includes(action)) {
    return true;
  }
  if (rel === "conflicted") {
    return false;
  }
  if (rel === "assigned") {
    return true;
  }
  // Not assigned: the case is still in intake, so intake officers reach it; it is not referred.
  return role === "intake_officer";
}

async function refusals(): Promise<number> {
  await chainPendingLedger(t.db);
  const [r] = await t.db.query(
    "SELECT count(*)::int AS n FROM ledger_entries WHERE event_type = 'access.refused'",
  );
  return Number(r?.n ?? 0);
}

beforeAll(async () => {
  t = await createTestApp();
  const rep = await t.app.inject({
    method: "POST",
    url: "/api/public/reports",
    payload: {
      mode: "named",
      identity: { fullName: "Rita Reporter" },
      body: "The group chat is sexist.",
      isDisclosure: true,
    },
  });
  expect(rep.statusCode).toBe(201);
  const [c] = await t.db.query("SELECT id FROM cases ORDER BY opened_at DESC LIMIT 1");
  caseId = String(c?.id);
  // The subject's line manager is "Morgan Conflicted": any user of that name is excluded.
  await t.db.transaction(async (tx) => {
    const s = await insertSubject(tx, {
      orgId: ORG,
      caseId,
      displayName: "Sam Subject",
      nameKey: personKey("Sam Subject"),
      status: "officer",
      roleTitle: null,
      at: new Date(),
    });
    await insertManager(tx, {
      orgId: ORG,
      subjectId: s.id,
      level: 1,
      displayName: "Morgan Conflicted",
      nameKey: personKey("Morgan Conflicted"),
    });
  });
  target = (await t.makeUser("investigator", "Tara Target")).id;
  const aa = { userId: t.users.appropriate_authority.id, roles: ["appropriate_authority" as const] };
  for (const role of ROLES) {
    for (const rel of RELATIONS) {
      const u = await t.makeUser(role, rel === "conflicted" ? "Morgan Conflicted" : `${rel} ${role}`);
      if (rel !== "not_assigned") {
        await assignToCase({ db: t.db }, { orgId: ORG, caseId, userId: u.id, role, actor: aa });
      }
      people.set(`${role}:${rel}`, await t.signIn(u.email));
    }
  }
});
afterAll(async () => t.close());

describe("case routes x roles x relation", () => {
  for (const route of ROUTES) {
    it(`${route.name}: should require a session`, async () => {
      const res = await t.app.inject({
        method: route.method,
        url: route.url(caseId),
        ...(route.payload ? { payload: route.payload() } : {}),
      });
      expect(res.statusCode).toBe(401);
    });
    for (const role of ROLES) {
      for (const rel of RELATIONS) {
        const allowed = expectAllowed(role, route.action, rel);
        it(`${route.name} as ${role} (${rel}) should be ${allowed ? "allowed" : "refused and ledgered"}`, async () => {
          const who = people.get(`${role}:${rel}`);
          if (!who) {
            throw new Error("missing user");
          }
          const before = await refusals();
          const res = await t.app.inject({
            method: route.method,
            url: route.url(caseId),
            headers: who.headers,
            ...(route.payload ? { payload: route.payload() } : {}),
          });
          if (allowed) {
            expect([200, 201], res.body).toContain(res.statusCode);
          } else {
            expect(res.statusCode, res.body).toBe(403);
            expect(await refusals()).toBe(before + 1);
          }
        });
      }
    }
  }
});

describe("organisation routes x roles", () => {
  const ORG_ROUTES: { name: string; url: string; action: Action }[] = [
    { name: "list users", url: "/api/users", action: "users.manage" },
    { name: "verify ledger", url: "/api/ledger/verify", action: "ledger.verify" },
    { name: "list cases", url: "/api/cases", action: "case.list" },
    { name: "NDA register", url: "/api/ndas", action: "nda.read" },
  ];
  for (const r of ORG_ROUTES) {
    it(`${r.name}: should require a session`, async () => {
      expect((await t.app.inject({ url: r.url })).statusCode).toBe(401);
    });
    for (const role of ROLES) {
      const allowed = roleMay(role, r.action);
      it(`${r.name} as ${role} should be ${allowed ? "allowed" : "refused"}`, async () => {
        const who = people.get(`${role}:assigned`);
        if (!who) {
          throw new Error("missing user");
        }
        const res = await t.app.inject({ url: r.url, headers: { cookie: who.cookie } });
        expect(res.statusCode, res.body).toBe(allowed ? 200 : 403);
      });
    }
  }

  it("should list the case to an assigned investigator but not to a conflicted one", async () => {
    const ok = await t.app.inject({
      url: "/api/cases",
      headers: { cookie: people.get("investigator:assigned")?.cookie ?? "" },
    });
    expect(ok.json().cases.map((c: { id: string }) => c.id)).toContain(caseId);
    const no = await t.app.inject({
      url: "/api/cases",
      headers: { cookie: people.get("investigator:conflicted")?.cookie ?? "" },
    });
    expect(no.json().cases.map((c: { id: string }) => c.id)).not.toContain(caseId);
  });

  it("should refuse to assign someone in a subject's management chain, and ledger it", async () => {
    const conflicted = await t.makeUser("investigator", "Morgan Conflicted");
    const aa = people.get("appropriate_authority:assigned");
    if (!aa) {
      throw new Error("missing");
    }
    const res = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/assignments`,
      headers: aa.headers,
      payload: { userId: conflicted.id, role: "investigator" },
    });
    expect(res.statusCode).toBe(403);
    await chainPendingLedger(t.db);
    const rows = await t.db.query(
      "SELECT payload FROM ledger_entries WHERE event_type = 'access.refused' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.stringify(rows[0]?.payload)).toContain("assignee_conflicted");
  });

  it("should let an administrator clear a namesake match, after which the user may work on the case", async () => {
    const admin = people.get("admin:assigned");
    const inv = people.get("investigator:conflicted");
    if (!admin || !inv) {
      throw new Error("missing");
    }
    const clear = await t.app.inject({
      method: "POST",
      url: "/api/conflicts/decisions",
      headers: admin.headers,
      payload: {
        userId: inv.user.id,
        personKey: "Morgan Conflicted",
        decision: "cleared",
        reason: "a different Morgan",
      },
    });
    expect(clear.statusCode, clear.body).toBe(200);
    expect(
      (await t.app.inject({ url: `/api/cases/${caseId}`, headers: { cookie: inv.cookie } })).statusCode,
    ).toBe(200);
  });
});
