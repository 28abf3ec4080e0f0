/**
 * Ingest throughput end to end (store the bytes, record the acquisition, parse, write every record in
 * one transaction) into the embedded PGlite and into the PostgreSQL server at 127.0.0.1:5432.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Benchmark } from "./benchmark.ts";
import { writeExport } from "./generate-export.ts";

const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface RunResult {
  seconds: number;
  records: number;
  peakRssMb: number | null;
}

function runIngest(file: string, dataDir: string, databaseUrl?: string): RunResult {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) {
    env.DATABASE_URL = databaseUrl;
  }
  const out = execFileSync(process.execPath, ["bin/run-ts.js", "bench/ingest-run.ts", file, dataDir], {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as RunResult;
}

async function withServerDb<T>(fn: (url: string) => T): Promise<T | null> {
  const admin = new pg.Client({ connectionString: SERVER });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `upstander_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const u = new URL(SERVER);
    u.pathname = `/${name}`;
    return fn(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export const ingestBenchmark: Benchmark = {
  name: "ingest",
  title: "Ingest throughput (store, record, parse, write records)",
  async run({ quick }) {
    const messages = quick ? 2_000 : 1_000_000;
    const dir = await mkdtemp(join(tmpdir(), "bench-ingest-"));
    try {
      const rows: string[] = [];
      const variants = quick ? (["android"] as const) : (["android", "ios"] as const);
      for (const variant of variants) {
        const file = join(dir, `${variant}.txt`);
        await writeExport(file, { variant, messages });
        const lite = runIngest(file, join(dir, `lite-${variant}`));
        rows.push(row("PGlite (embedded)", variant, lite));
        const server = await withServerDb((url) => runIngest(file, join(dir, `pg-${variant}`), url));
        rows.push(
          server
            ? row("PostgreSQL 127.0.0.1:5432", variant, server)
            : `| PostgreSQL | ${variant} | not reachable | | | |`,
        );
      }
      return [
        `Each run ingests a generated ${messages.toLocaleString("en-GB")}-message export (bench/generate-export.ts) in its own process; the time covers the ingest alone, with the database already open and migrated.`,
        "",
        "| engine | export | records | seconds | records/s | peak RSS (MB) |",
        "|---|---|---:|---:|---:|---:|",
        ...rows,
      ].join("\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function row(engine: string, variant: string, r: RunResult): string {
  return `| ${engine} | ${variant} | ${r.records.toLocaleString("en-GB")} | ${r.seconds.toFixed(1)} | ${Math.round(r.records / r.seconds).toLocaleString("en-GB")} | ${r.peakRssMb?.toFixed(0) ?? "n/a"} |`;
}
