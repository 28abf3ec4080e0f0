/**
 * Load on the HTTP API against the local PostgreSQL server (loopback only): a fresh database, seeded
 * users and cases, the app started in this process on 127.0.0.1, then autocannon with a mix of case reads
 * (50 %), named report submissions (25 %) and messages to the reporter (25 %). Full: 200 connections for
 * 60 s; --quick: 10 connections for 3 s. Targets: zero 5xx, p99 < 200 ms.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { buildApp } from "../src/server/app.ts";
import { loadConfig } from "../src/server/config.ts";
import { assignToCase } from "../src/services/cases/assign-to-case.ts";
import { recordReport } from "../src/services/cases/record-report.ts";
import { createUser } from "../src/services/create-user.ts";
import { argon2Hasher } from "../src/services/password-hasher.ts";
import { openDb } from "../src/storage/db.ts";
import { migrate } from "../src/storage/migrate.ts";
import type { Benchmark } from "./benchmark.ts";

const ORG = "00000000-0000-0000-0000-000000000001";
const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/postgres";

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Databases an earlier run could not drop (its process still held a connection then; it has exited since). */
async function dropStaleBenchDatabases(): Promise<void> {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try {
    const r = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'upstander_bench_%'",
    );
    for (const row of r.rows) {
      await c.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    }
  } finally {
    await c.end();
  }
}

export const loadBenchmark: Benchmark = {
  name: "load",
  title: "HTTP API under load (PostgreSQL, loopback)",
  async run({ quick }) {
    const connections = quick ? 10 : 200;
    const duration = quick ? 3 : 60;
    const cases = quick ? 20 : 200;
    const loadAtStart = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ");
    await dropStaleBenchDatabases();
    const name = `upstander_bench_${randomBytes(4).toString("hex")}`;
    await admin(`CREATE DATABASE "${name}"`);
    const dataDir = await mkdtemp(join(tmpdir(), "ups-bench-"));
    const db = await openDb({ databaseUrl: withDb(SERVER, name), poolSize: 20 });
    try {
      await migrate(db);
      const password = "bench password long enough";
      const inv = await createUser(
        { db, hasher: argon2Hasher, clock: () => new Date() },
        ORG,
        { email: "inv@bench.test", displayName: "Bench Investigator", role: "investigator", password },
        "bench",
      );
      const ids: string[] = [];
      for (let i = 0; i < cases; i++) {
        const r = await recordReport(
          { db },
          {
            orgId: ORG,
            mode: "named",
            identity: { fullName: `Reporter ${i}` },
            body: `Seed report ${i}`,
            isDisclosure: true,
          },
        );
        await assignToCase(
          { db },
          {
            orgId: ORG,
            caseId: r.caseId,
            userId: inv.id,
            role: "investigator",
            actor: { userId: inv.id, roles: ["admin"] },
          },
        );
        ids.push(r.caseId);
      }
      const cfg = loadConfig({
        UPSTANDER_DATA_DIR: dataDir,
        DATABASE_URL: withDb(SERVER, name),
        UPSTANDER_SESSION_SECRET: randomBytes(32).toString("hex"),
        // The limits protect production from abuse; the benchmark measures the app behind them.
        UPSTANDER_RATE_LIMIT_PER_MINUTE: "10000000",
        UPSTANDER_RATE_LIMIT_INTAKE_PER_MINUTE: "10000000",
      });
      if (!cfg.ok) {
        throw new Error(cfg.problems.join("; "));
      }
      const app = await buildApp({ db, config: cfg.config, logLevel: "warn" });
      await app.listen({ host: "127.0.0.1", port: 0 });
      try {
        const addr = app.server.address();
        if (!addr || typeof addr === "string") {
          throw new Error("no address");
        }
        const base = `http://127.0.0.1:${addr.port}`;
        const signIn = await fetch(`${base}/api/auth/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: inv.email, password }),
        });
        const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
        const body: unknown = await signIn.json();
        const csrf =
          typeof body === "object" && body !== null && "csrfToken" in body ? String(body.csrfToken) : "";
        const pick = () => ids[Math.floor(Math.random() * ids.length)] ?? "";
        const auth = { cookie, "x-csrf-token": csrf, "content-type": "application/json" };
        const read = {
          method: "GET",
          headers: { cookie },
          setupRequest: (r: { path?: string }) => ({ ...r, path: `/api/cases/${pick()}` }),
        };
        const requests = [
          read,
          {
            method: "POST",
            path: "/api/public/reports",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              mode: "named",
              identity: { fullName: "Load Reporter" },
              body: "load test report",
              isDisclosure: false,
            }),
          },
          read,
          {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ body: "load test message" }),
            setupRequest: (r: { path?: string }) => ({ ...r, path: `/api/cases/${pick()}/messages` }),
          },
        ];
        // Two runs: saturation (every connection sends its next request as soon as the last returns),
        // and 200 users at a human pace (one request every 2 s each: 100 requests/s offered in all).
        const runs: { label: string; overallRate?: number }[] = quick
          ? [{ label: "saturation" }]
          : [
              { label: "saturation" },
              { label: "paced: 1 request per user every 2 s", overallRate: connections / 2 },
            ];
        const lines: string[] = [
          `${connections} connections for ${duration} s each run, in-process server and load generator sharing the machine; ${cases} seeded cases.`,
          `Machine load average when the run started: ${loadAtStart}.`,
          "Mix per connection, in turn: case read, named report submission, case read, message to the reporter.",
          "",
          "| run | requests | p50 / p90 / p99 / max (ms) | status codes | 5xx | errors / timeouts | targets (zero 5xx, p99 < 200 ms) |",
          "| --- | --- | --- | --- | --- | --- | --- |",
        ];
        for (const run of runs) {
          const result = await autocannon({
            url: base,
            connections,
            duration,
            timeout: 10,
            ...(run.overallRate ? { overallRate: run.overallRate } : {}),
            requests,
          });
          const codes = Object.entries(result.statusCodeStats)
            .map(([k, v]) => `${k}: ${v.count}`)
            .join(", ");
          const fivexx = Object.entries(result.statusCodeStats)
            .filter(([k]) => k.startsWith("5"))
            .reduce((n, [, v]) => n + v.count, 0);
          lines.push(
            `| ${run.label} | ${result.requests.total} (${Math.round(result.requests.average)}/s) | ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} / ${result.latency.max} | ${codes} | ${fivexx} | ${result.errors} / ${result.timeouts} | ${fivexx === 0 ? "zero 5xx met" : "5xx SEEN"}; ${result.latency.p99 < 200 ? "p99 met" : "p99 NOT met"} |`,
          );
        }
        return lines.join("\n");
      } finally {
        await app.close();
        // Requests autocannon abandoned at the deadline may still be running: let them finish before the
        // pool closes, so they are not counted as server errors.
        await new Promise((r) => setTimeout(r, 3000));
      }
    } finally {
      await db.close();
      // Without FORCE: terminating a connection the pool still holds would crash this process with an
      // unhandled pool error. A database left behind is dropped by the next run (below).
      await admin(`DROP DATABASE IF EXISTS "${name}"`).catch((e: unknown) => {
        process.stderr.write(
          `bench: ${name} left for the next run to drop (${e instanceof Error ? e.message : String(e)})\n`,
        );
      });
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
