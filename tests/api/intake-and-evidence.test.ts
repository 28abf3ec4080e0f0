/**
 * Public intake, the anonymous inbox, hostile input, evidence upload and the ledgering of reads.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ORG, type SignedIn, type TestApp } from "../helpers/test-app.ts";
import { assignToCase } from "../../src/services/cases/assign-to-case.ts";
import { chainPendingLedger } from "../../src/storage/repositories/ledger.repository.ts";

let t: TestApp;
let inv: SignedIn;
const UA = "Mozilla/5.0 (X11; Linux) TotallyIdentifyingAgent/9.9";
const IP = "203.0.113.77";

beforeAll(async () => {
  t = await createTestApp({ UPSTANDER_TRUST_PROXY: "true" });
  inv = await t.as("investigator");
});
afterAll(async () => t.close());

async function newCase(
  mode: "named" | "anonymous" = "named",
): Promise<{ caseId: string; body: Record<string, string> }> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/public/reports",
    payload:
      mode === "named"
        ? { mode, identity: { fullName: "Rita Reporter" }, body: "Report body" }
        : { mode, body: "Report body" },
  });
  expect(res.statusCode).toBe(201);
  const [c] = await t.db.query("SELECT id FROM cases WHERE reference = $1", [res.json().reference]);
  const caseId = String(c?.id);
  await assignToCase(
    { db: t.db },
    {
      orgId: ORG,
      caseId,
      userId: inv.user.id,
      role: "investigator",
      actor: { userId: t.users.admin.id, roles: ["admin"] },
    },
  );
  return { caseId, body: res.json() };
}

function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: string },
): { payload: Buffer; headers: Record<string, string> } {
  const b = "----upstanderTestBoundary";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  }
  if (file) {
    parts.push(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`,
    );
  }
  parts.push(`--${b}--\r\n`);
  return {
    payload: Buffer.from(parts.join("")),
    headers: { "content-type": `multipart/form-data; boundary=${b}` },
  };
}

describe("anonymous intake", () => {
  it("should store and log nothing that identifies the reporter", async () => {
    t.logs.length = 0;
    const res = await t.app.inject({
      method: "POST",
      url: "/api/public/reports",
      headers: { "user-agent": UA, "x-forwarded-for": IP, cookie: "upstander_session=whatever" },
      payload: { mode: "anonymous", body: "They laughed at the pictures.", isDisclosure: true },
    });
    expect(res.statusCode).toBe(201);
    const { receiptCode, passphrase, reference } = res.json();
    expect(receiptCode).toBeTruthy();
    expect(passphrase).toBeTruthy();
    // Nothing in any log line.
    const logs = t.logs.join("\n");
    expect(logs).not.toContain(IP);
    expect(logs).not.toContain("TotallyIdentifyingAgent");
    // Nothing in any table: dump every text-ish column of the database and search it.
    const tables = await t.db.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const tb of tables) {
      const rows = await t.db.query(`SELECT * FROM "${String(tb.table_name)}"`);
      const dump = JSON.stringify(rows);
      expect(dump, String(tb.table_name)).not.toContain(IP);
      expect(dump, String(tb.table_name)).not.toContain("TotallyIdentifyingAgent");
      expect(dump, String(tb.table_name)).not.toContain(String(receiptCode));
      expect(dump, String(tb.table_name)).not.toContain(String(passphrase));
    }
    const [rep] = await t.db.query(
      "SELECT r.reporter_user_id FROM reports r JOIN cases c ON c.id = r.case_id WHERE c.reference = $1",
      [reference],
    );
    expect(rep?.reporter_user_id).toBeNull();
  });

  it("should let the anonymous reporter read and reply with the receipt code and passphrase only", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/public/reports",
      payload: { mode: "anonymous", body: "x" },
    });
    const { receiptCode, passphrase } = res.json();
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/public/inbox",
      payload: { receiptCode, passphrase: "WRONG" },
    });
    expect(wrong.statusCode).toBe(401);
    const sent = await t.app.inject({
      method: "POST",
      url: "/api/public/inbox/messages",
      payload: { receiptCode, passphrase, body: "<script>alert(1)</script> more detail" },
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.headers["content-type"]).toContain("application/json");
    const view = sent.json();
    expect(
      view.messages.some((m: { body: string }) => m.body === "<script>alert(1)</script> more detail"),
    ).toBe(true);
  });

  it("should take a chat export attached by the anonymous reporter through the evidence intake", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/public/reports",
      payload: { mode: "anonymous", body: "see attached" },
    });
    const { receiptCode, passphrase, reference } = res.json();
    const content = await readFile(
      new URL("../fixtures/exports/whatsapp/android-en-gb.txt", import.meta.url),
      "utf8",
    );
    t.logs.length = 0;
    const wrong = multipart(
      { receiptCode, passphrase: "nope", scopeStatement: "the team group" },
      { name: "chat.txt", content },
    );
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/public/inbox/evidence",
      headers: { ...wrong.headers, "x-forwarded-for": IP },
      payload: wrong.payload,
    });
    expect(refused.statusCode).toBe(401);
    const mp = multipart(
      { receiptCode, passphrase, scopeStatement: "the team group, March only" },
      { name: "WhatsApp Chat.txt", content },
    );
    const up = await t.app.inject({
      method: "POST",
      url: "/api/public/inbox/evidence",
      headers: { ...mp.headers, "x-forwarded-for": IP, "user-agent": UA },
      payload: mp.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().parsed).toBe(true);
    const [acq] = await t.db.query(
      "SELECT method, acquired_by, scope_statement FROM acquisitions WHERE case_ref = $1",
      [reference],
    );
    expect(acq?.method).toBe("provided_by_reporter");
    expect(acq?.scope_statement).toBe("the team group, March only");
    expect(t.logs.join("\n")).not.toContain(IP);
    expect(t.logs.join("\n")).not.toContain("TotallyIdentifyingAgent");
  });

  it("should never show investigators' notes in the reporter's inbox", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/public/reports",
      payload: { mode: "anonymous", body: "x" },
    });
    const { receiptCode, passphrase, reference } = res.json();
    const [c] = await t.db.query("SELECT id FROM cases WHERE reference = $1", [reference]);
    const caseId = String(c?.id);
    await assignToCase(
      { db: t.db },
      {
        orgId: ORG,
        caseId,
        userId: inv.user.id,
        role: "investigator",
        actor: { userId: t.users.admin.id, roles: ["admin"] },
      },
    );
    const note = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/notes`,
      headers: inv.headers,
      payload: { body: "SECRET-NOTE-7" },
    });
    expect(note.statusCode).toBe(201);
    const view = await t.app.inject({
      method: "POST",
      url: "/api/public/inbox",
      payload: { receiptCode, passphrase },
    });
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain("SECRET-NOTE-7");
  });
});

describe("signed-in reporter", () => {
  it("should submit, attach a chat export, read the status, and never reach another reporter's report", async () => {
    const me = await t.as("reporter");
    const rep = await t.app.inject({
      method: "POST",
      url: "/api/reports",
      headers: me.headers,
      payload: { mode: "confidential", identity: { fullName: "Rita Reporter" }, body: "the chat" },
    });
    expect(rep.statusCode, rep.body).toBe(201);
    const { reportId } = rep.json();
    const content = await readFile(
      new URL("../fixtures/exports/whatsapp/android-en-gb.txt", import.meta.url),
      "utf8",
    );
    const mp = multipart({ scopeStatement: "only the team group" }, { name: "chat.txt", content });
    const up = await t.app.inject({
      method: "POST",
      url: `/api/reports/${reportId}/evidence`,
      headers: { ...me.headers, ...mp.headers },
      payload: mp.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(
      (await t.app.inject({ url: `/api/reports/${reportId}`, headers: { cookie: me.cookie } })).statusCode,
    ).toBe(200);
    const other = await t.signIn((await t.makeUser("reporter", "Other Reporter")).email);
    expect(
      (await t.app.inject({ url: `/api/reports/${reportId}`, headers: { cookie: other.cookie } })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: "/api/cases", headers: { cookie: me.cookie } })).statusCode).toBe(403);
  });
});

describe("hostile input", () => {
  it("should reject unknown fields, wrong types and missing fields on the intake", async () => {
    for (const payload of [
      { mode: "anonymous", body: "x", isAdmin: true },
      { mode: "anonymous", body: 42 },
      { mode: "telepathic", body: "x" },
      { mode: "named", body: "x" },
      { mode: "anonymous", body: "" },
      [],
      "just a string",
    ]) {
      const res = await t.app.inject({ method: "POST", url: "/api/public/reports", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe("INVALID_INPUT");
    }
  });

  it("should refuse oversized bodies on the intake and a case route", async () => {
    const big = JSON.stringify({ mode: "anonymous", body: "x".repeat(400 * 1024) });
    const a = await t.app.inject({
      method: "POST",
      url: "/api/public/reports",
      headers: { "content-type": "application/json" },
      payload: big,
    });
    expect(a.statusCode).toBe(413);
    const { caseId } = await newCase();
    const b = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/notes`,
      headers: { ...inv.headers, "content-type": "application/json" },
      payload: JSON.stringify({ body: "y".repeat(400 * 1024) }),
    });
    expect(b.statusCode).toBe(413);
  });

  it("should store HTML verbatim and return it as JSON", async () => {
    const { caseId } = await newCase();
    const html = `<img src=x onerror="alert('n')">&amp;`;
    await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/notes`,
      headers: inv.headers,
      payload: { body: html },
    });
    const res = await t.app.inject({ url: `/api/cases/${caseId}/notes`, headers: { cookie: inv.cookie } });
    expect(res.headers["content-type"]).toContain("application/json");
    expect(res.json().notes.map((n: { body: string }) => n.body)).toContain(html);
  });

  it("should reject malformed ids in paths and queries", async () => {
    for (const url of ["/api/cases/not-a-uuid", "/api/cases/..%2F..%2Fetc", "/api/cases/1%27%20OR%201=1"]) {
      const res = await t.app.inject({ url, headers: { cookie: inv.cookie } });
      expect(res.statusCode, url).toBe(400);
    }
  });

  it("should answer unknown routes with the error body", async () => {
    const res = await t.app.inject({ url: "/api/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("NOT_FOUND");
  });
});

describe("evidence", () => {
  it("should take an upload through the intake, keep only the file name's last segment, and ledger reads", async () => {
    const { caseId } = await newCase();
    const content = await readFile(
      new URL("../fixtures/exports/whatsapp/android-en-gb.txt", import.meta.url),
      "utf8",
    );
    const mp = multipart(
      { scopeStatement: "The team group only, 1-31 March", scopeChat: "Team" },
      { name: "../../../etc/passwd", content },
    );
    const up = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...inv.headers, ...mp.headers },
      payload: mp.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const ev = up.json().evidence;
    expect(ev.originalName).toBe("passwd");
    expect(up.json().parsed).toBe(true);
    const list = await t.app.inject({
      url: `/api/cases/${caseId}/evidence`,
      headers: { cookie: inv.cookie },
    });
    expect(list.json().evidence).toHaveLength(1);
    const recs = await t.app.inject({
      url: `/api/cases/${caseId}/evidence/${ev.id}/records?limit=5`,
      headers: { cookie: inv.cookie },
    });
    expect(recs.statusCode, recs.body).toBe(200);
    expect(recs.json().records.length).toBeGreaterThan(0);
    await chainPendingLedger(t.db);
    const viewed = await t.db.query(
      "SELECT payload FROM ledger_entries WHERE event_type = 'evidence.viewed' AND actor = $1",
      [inv.user.id],
    );
    expect(viewed.map((v) => JSON.stringify(v.payload)).join()).toContain(ev.id);
    expect(viewed.length).toBeGreaterThanOrEqual(2);
  });

  it("should exclude a user who appears in the case's chat evidence, even when assigned", async () => {
    const { caseId } = await newCase();
    const content = await readFile(
      new URL("../fixtures/exports/whatsapp/android-en-gb.txt", import.meta.url),
      "utf8",
    );
    const mp = multipart({ scopeStatement: "The team group only" }, { name: "chat.txt", content });
    const up = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...inv.headers, ...mp.headers },
      payload: mp.payload,
    });
    expect(up.statusCode).toBe(201);
    const mallory = await t.makeUser("investigator", "Mallory");
    await assignToCase(
      { db: t.db },
      {
        orgId: ORG,
        caseId,
        userId: mallory.id,
        role: "investigator",
        actor: { userId: t.users.admin.id, roles: ["admin"] },
      },
    );
    const s = await t.signIn(mallory.email);
    const res = await t.app.inject({ url: `/api/cases/${caseId}/evidence`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    await chainPendingLedger(t.db);
    const rows = await t.db.query(
      "SELECT payload FROM ledger_entries WHERE event_type = 'access.refused' AND actor = $1",
      [mallory.id],
    );
    expect(JSON.stringify(rows)).toContain("conflicted");
  });

  it("should refuse an upload without a scope statement, and keep nothing", async () => {
    const { caseId } = await newCase();
    const mp = multipart({}, { name: "chat.txt", content: "hello" });
    const up = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...inv.headers, ...mp.headers },
      payload: mp.payload,
    });
    expect(up.statusCode).toBe(400);
    const [n] = await t.db.query(
      "SELECT count(*)::int AS n FROM acquisitions WHERE case_ref IN (SELECT reference FROM cases WHERE id = $1)",
      [caseId],
    );
    expect(Number(n?.n)).toBe(0);
  });

  it("should ledger each reveal of the reporter's identity", async () => {
    const { caseId } = await newCase("named");
    const res = await t.app.inject({
      method: "POST",
      url: `/api/cases/${caseId}/identity/reveal`,
      headers: inv.headers,
      payload: { purpose: "interview planning" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().identities[0].fullName).toBe("Rita Reporter");
    await chainPendingLedger(t.db);
    const rows = await t.db.query(
      "SELECT payload FROM ledger_entries WHERE event_type = 'identity.revealed' AND actor = $1",
      [inv.user.id],
    );
    expect(JSON.stringify(rows)).toContain("interview planning");
  });
});
