import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, PASSWORD, type TestApp } from "../helpers/test-app.ts";
import { chainPendingLedger } from "../../src/storage/repositories/ledger.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    UPSTANDER_LOCKOUT_ATTEMPTS: "3",
    UPSTANDER_LOCKOUT_MINUTES: "10",
    UPSTANDER_SESSION_TTL_MINUTES: "30",
    UPSTANDER_SESSION_IDLE_MINUTES: "10",
  });
});
afterAll(async () => t.close());

async function ledger(type: string): Promise<Record<string, unknown>[]> {
  await chainPendingLedger(t.db);
  return t.db.query(
    "SELECT actor, case_ref, payload FROM ledger_entries WHERE event_type = $1 ORDER BY seq",
    [type],
  );
}

describe("sign-in and sessions", () => {
  it("should answer /health and /ready without a session", async () => {
    expect((await t.app.inject({ url: "/health" })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, pendingMigrations: [] });
  });

  it("should require authentication for the session endpoint", async () => {
    const res = await t.app.inject({ url: "/api/auth/session" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });

  it("should set an http-only SameSite=Strict cookie and never store the raw session id", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: t.users.investigator.email, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === "upstander_session");
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe("Strict");
    const rows = await t.db.query("SELECT id_hash FROM sessions");
    expect(rows.map((r) => r.id_hash)).not.toContain(c?.value);
    const me = await t.app.inject({
      url: "/api/auth/session",
      headers: { cookie: `upstander_session=${c?.value}` },
    });
    expect(me.json()).toMatchObject({ user: { role: "investigator" } });
  });

  it("should refuse a state-changing request without the CSRF token", async () => {
    const s = await t.as("admin");
    const body = { email: "csrf@example.test", displayName: "X", role: "reporter" };
    const no = await t.app.inject({
      method: "POST",
      url: "/api/users",
      headers: { cookie: s.cookie },
      payload: body,
    });
    expect(no.statusCode).toBe(403);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/users",
      headers: { cookie: s.cookie, "x-csrf-token": "x".repeat(43) },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.app.inject({ method: "POST", url: "/api/users", headers: s.headers, payload: body });
    expect(ok.statusCode).toBe(201);
  });

  it("should expire sessions after their lifetime, however active", async () => {
    const u = await t.makeUser("investigator", "Expiring User");
    const s = await t.signIn(u.email);
    const saved = t.now.value;
    const status = async () =>
      (await t.app.inject({ url: "/api/auth/session", headers: { cookie: s.cookie } })).statusCode;
    try {
      // Used every 8 minutes (inside the 10-minute idle timeout) up to the 30-minute lifetime...
      for (const minutes of [0, 8, 16, 24]) {
        t.now.value = new Date(saved.getTime() + minutes * 60_000);
        expect(await status()).toBe(200);
      }
      // ...and still ended by it.
      t.now.value = new Date(saved.getTime() + 31 * 60_000);
      expect(await status()).toBe(401);
    } finally {
      t.now.value = saved;
    }
  });

  it("should end a session left idle for the configured time, and record uses at most once a minute", async () => {
    const u = await t.makeUser("investigator", "Idle User");
    const s = await t.signIn(u.email);
    const saved = t.now.value;
    const at = (minutes: number) => {
      t.now.value = new Date(saved.getTime() + minutes * 60_000);
    };
    const status = async () =>
      (await t.app.inject({ url: "/api/auth/session", headers: { cookie: s.cookie } })).statusCode;
    const lastSeen = async () => {
      const [row] = await t.db.query<{ last_seen_at: Date | string }>(
        "SELECT last_seen_at FROM sessions WHERE user_id = $1",
        [u.id],
      );
      return row ? new Date(row.last_seen_at).getTime() : undefined;
    };
    try {
      const signedInAt = await lastSeen();
      at(0.5);
      expect(await status()).toBe(200);
      expect(await lastSeen()).toBe(signedInAt); // within the minute: no write
      at(9);
      expect(await status()).toBe(200); // 9 idle minutes: still valid, and the use is recorded
      expect(await lastSeen()).toBe(saved.getTime() + 9 * 60_000);
      at(18);
      expect(await status()).toBe(200); // 9 minutes after the last use
      at(28);
      expect(await status()).toBe(401); // 10 minutes idle: ended
      expect(await lastSeen()).toBeUndefined(); // and deleted
      at(28.1);
      expect(await status()).toBe(401);
    } finally {
      t.now.value = saved;
    }
  });

  it("should sign out and forget the session", async () => {
    const u = await t.makeUser("investigator", "Leaving User");
    const s = await t.signIn(u.email);
    expect(
      (await t.app.inject({ method: "POST", url: "/api/auth/sign-out", headers: s.headers })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ url: "/api/auth/session", headers: { cookie: s.cookie } })).statusCode).toBe(
      401,
    );
  });

  it("should lock an account after N failures, ledger it, and refuse the right password while locked", async () => {
    const u = await t.makeUser("investigator", "Locked User");
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: "POST",
        url: "/api/auth/sign-in",
        payload: { email: u.email, password: "wrong" },
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: u.email, password: PASSWORD },
    });
    expect(locked.statusCode).toBe(401);
    const events = await ledger("account.locked");
    expect(events.some((e) => JSON.stringify(e.payload).includes(u.id))).toBe(true);
    const saved = t.now.value;
    t.now.value = new Date(saved.getTime() + 11 * 60_000);
    try {
      await t.signIn(u.email);
    } finally {
      t.now.value = saved;
    }
  });

  it("should answer an unknown e-mail exactly like a wrong password", async () => {
    const a = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: "nobody@example.test", password: "x" },
    });
    const b = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: t.users.reporter.email, password: "x" },
    });
    expect(a.statusCode).toBe(401);
    expect(a.json().error.message).toBe(b.json().error.message);
  });

  it("should reject unknown fields and wrong types on sign-in", async () => {
    const extra = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: "a@b.test", password: "x", admin: true },
    });
    expect(extra.statusCode).toBe(400);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      payload: { email: 42, password: ["x"] },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe("INVALID_INPUT");
  });

  it("should refuse oversized bodies with 413", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email: "a@b.test", password: "x".repeat(300 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("TOO_LARGE");
  });

  it("should serve the OpenAPI document", async () => {
    const res = await t.app.inject({ url: "/api/docs" });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths).toHaveProperty("/api/auth/sign-in");
    const html = await t.app.inject({ url: "/api/docs/html" });
    expect(html.headers["content-type"]).toContain("text/html");
  });
});

describe("rate limiting", () => {
  let r: TestApp;
  beforeAll(async () => {
    r = await createTestApp({
      UPSTANDER_RATE_LIMIT_SIGNIN_PER_MINUTE: "3",
      UPSTANDER_RATE_LIMIT_INTAKE_PER_MINUTE: "2",
    });
  });
  afterAll(async () => r.close());

  it("should answer 429 after the sign-in limit", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await r.app.inject({
        method: "POST",
        url: "/api/auth/sign-in",
        payload: { email: "x@example.test", password: "x" },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes[4]).toBe(429);
  });

  it("should answer 429 after the public intake limit, with the error body", async () => {
    const codes: number[] = [];
    let last = "";
    for (let i = 0; i < 3; i++) {
      const res = await r.app.inject({
        method: "POST",
        url: "/api/public/reports",
        payload: { mode: "named", identity: { fullName: "A" }, body: "x" },
      });
      codes.push(res.statusCode);
      last = res.body;
    }
    expect(codes).toEqual([201, 201, 429]);
    expect(last).toContain("RATE_LIMITED");
  });
});
