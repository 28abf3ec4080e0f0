/**
 * @module main
 * Starts a process in one role: `api` (HTTP), `worker` (jobs) or `all` (both, the embedded default).
 * Configuration is validated first and every problem reported at once; migrations run at start (an
 * advisory lock makes concurrent starts safe). PGlite is a single embedded connection, so without
 * DATABASE_URL only `all` is allowed.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../contract/errors.ts";
import { CHAT_FORMATS } from "../domain/formats/registry.ts";
import { createJobHandlers } from "../jobs/job-handlers.ts";
import { startJobQueue, type JobQueue } from "../jobs/job-queue.ts";
import { openRuntime } from "../services/runtime.ts";
import { startLedgerSweep } from "../storage/ledger-chaining-db.ts";
import { buildApp, type App } from "./app.ts";
import { loadConfig, resolveSessionSecret } from "./config.ts";

export const SERVER_ROLES = ["api", "worker", "all"] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** How often a server chains ledger events left pending (see startLedgerSweep). */
const LEDGER_SWEEP_MS = 10_000;

export interface RunningServer {
  /** The address the API listens on (api and all roles). */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * @throws AppError CONFIG_INVALID listing every configuration problem
 */
export async function startServer(
  role: ServerRole,
  env: Record<string, string | undefined>,
): Promise<RunningServer> {
  const r = loadConfig(env);
  const problems = r.ok ? [] : [...r.problems];
  if (r.ok && !r.config.databaseUrl && role !== "all") {
    problems.push(`--role ${role}: the embedded database is one process; use --role all or set DATABASE_URL`);
  }
  if (!r.ok || problems.length > 0) {
    throw new AppError("CONFIG_INVALID", {
      userMessage: `invalid configuration:\n  ${problems.join("\n  ")}`,
      details: { problems },
    });
  }
  const config = r.config;
  config.sessionSecret = await resolveSessionSecret(config);
  const rt = await openRuntime({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: config.poolSize,
  });
  const clock = () => new Date();
  // Events are chained right after their commit in the process that wrote them; the sweep chains any
  // that a process dying in between left pending.
  const stopSweep = startLedgerSweep(rt.db, LEDGER_SWEEP_MS);
  let jobs: JobQueue | undefined;
  let app: App | undefined;
  try {
    await mkdir(join(config.dataDir, "incoming"), { recursive: true });
    jobs = await startJobQueue({
      db: rt.db,
      ...(role === "api"
        ? {}
        : { handlers: createJobHandlers({ db: rt.db, store: rt.store, formats: CHAT_FORMATS, clock }) }),
      onError: (e) => process.stderr.write(`jobs: ${e.message}\n`),
    });
    if (role !== "worker") {
      app = await buildApp({ db: rt.db, config, clock, jobs, store: rt.store });
      await app.listen({ port: config.port, host: config.host });
    }
  } catch (e) {
    await app?.close();
    await jobs?.stop();
    await stopSweep();
    await rt.close();
    throw e;
  }
  const addr = app?.server.address();
  return {
    url: addr && typeof addr === "object" ? `http://${config.host}:${addr.port}` : undefined,
    async close() {
      await app?.close();
      await jobs?.stop();
      await stopSweep();
      await rt.close();
    },
  };
}
