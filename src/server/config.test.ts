import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveSessionSecret } from "./config.ts";

describe("loadConfig", () => {
  it("should apply defaults for the embedded single-laptop setup", () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) {
      return;
    }
    expect(r.config.port).toBe(3000);
    expect(r.config.host).toBe("127.0.0.1");
    expect(r.config.databaseUrl).toBeUndefined();
    expect(r.config.secureCookies).toBe(false);
    expect(r.config.oidc).toBeUndefined();
    expect(r.config.sessionIdleMinutes).toBe(30);
  });

  it("should refuse an idle timeout longer than the session lifetime, or under two minutes", () => {
    const longer = loadConfig({ UPSTANDER_SESSION_TTL_MINUTES: "60", UPSTANDER_SESSION_IDLE_MINUTES: "90" });
    expect(longer.ok ? [] : longer.problems).toEqual([
      expect.stringMatching(
        /^UPSTANDER_SESSION_IDLE_MINUTES: 90 is longer than UPSTANDER_SESSION_TTL_MINUTES \(60\)/,
      ),
    ]);
    const short = loadConfig({ UPSTANDER_SESSION_IDLE_MINUTES: "1" });
    expect(short.ok ? [] : short.problems.map((p) => p.split(":")[0])).toEqual([
      "UPSTANDER_SESSION_IDLE_MINUTES",
    ]);
    const fine = loadConfig({ UPSTANDER_SESSION_TTL_MINUTES: "60", UPSTANDER_SESSION_IDLE_MINUTES: "60" });
    expect(fine.ok && fine.config.sessionIdleMinutes).toBe(60);
  });

  it("should list every problem at once", () => {
    const r = loadConfig({
      PORT: "x",
      DATABASE_URL: "mysql://h/db",
      OIDC_CLIENT_ID: "c",
      UPSTANDER_LOCKOUT_ATTEMPTS: "0",
    });
    expect(r.ok).toBe(false);
    if (r.ok) {
      return;
    }
    const vars = r.problems.map((p) => p.split(":")[0]);
    expect(vars).toEqual(
      expect.arrayContaining([
        "PORT",
        "DATABASE_URL",
        "UPSTANDER_SESSION_SECRET",
        "OIDC_ISSUER",
        "UPSTANDER_LOCKOUT_ATTEMPTS",
      ]),
    );
  });

  it("should require a session secret with a database server, and Secure cookies behind https", () => {
    const r = loadConfig({
      DATABASE_URL: "postgres://127.0.0.1/x",
      UPSTANDER_SESSION_SECRET: "s".repeat(40),
      UPSTANDER_PUBLIC_URL: "https://cases.example.org",
      OIDC_ISSUER: "https://id.example.org",
      OIDC_CLIENT_ID: "upstander",
      OIDC_REDIRECT_URI: "https://cases.example.org/api/auth/oidc/callback",
    });
    expect(r.ok && r.config.secureCookies).toBe(true);
    expect(r.ok && r.config.oidc?.clientId).toBe("upstander");
  });

  it("should generate and keep a session secret in the data directory for the embedded default", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ups-cfg-"));
    try {
      const r = loadConfig({ UPSTANDER_DATA_DIR: dir });
      if (!r.ok) {
        throw new Error("config");
      }
      const a = await resolveSessionSecret(r.config);
      const b = await resolveSessionSecret(r.config);
      expect(a.length).toBeGreaterThanOrEqual(32);
      expect(b).toBe(a);
      expect((await readFile(join(dir, "session-secret"), "utf8")).trim()).toBe(a);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
