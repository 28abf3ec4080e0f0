/**
 * One ingest measured in its own process (so peak RSS belongs to this run alone):
 *   node bin/run-ts.js bench/ingest-run.ts <export> <dataDir>   (DATABASE_URL selects a server)
 * Prints one JSON line: seconds for the ingest alone (the database already open and migrated), records,
 * peak RSS in MB.
 */
import { readFileSync } from "node:fs";
import { CHAT_FORMATS } from "../src/domain/formats/registry.ts";
import { ingestExport } from "../src/services/ingest-export.ts";
import { DEFAULT_ORG_ID, loadRuntimeConfig, openRuntime } from "../src/services/runtime.ts";

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) {
  throw new Error("usage: ingest-run <export> <dataDir>");
}
const rt = await openRuntime(loadRuntimeConfig({ ...process.env, UPSTANDER_DATA_DIR: dataDir }));
const t0 = performance.now();
const r = await ingestExport(
  { db: rt.db, store: rt.store, formats: CHAT_FORMATS },
  {
    orgId: DEFAULT_ORG_ID,
    caseRef: "BENCH-1",
    input: file,
    acquiredBy: "bench",
    scope: { statement: "benchmark" },
  },
);
const seconds = (performance.now() - t0) / 1000;
await rt.close();
if (!r.ok) {
  throw r.error instanceof Error ? r.error : new Error(String(r.error));
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
process.stdout.write(
  JSON.stringify({
    seconds,
    records: r.parse.summary?.recordCount ?? 0,
    peakRssMb: hwm ? Number(hwm[1]) / 1024 : null,
  }) + "\n",
);
