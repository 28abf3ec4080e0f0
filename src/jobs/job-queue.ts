/**
 * @module job-queue
 * The job queue on pg-boss, over the Db port's `executeSql` so it runs on the embedded PGlite and on a
 * PostgreSQL server alike (docs/decisions/003-jobs.md). Payloads are validated on enqueue and again on
 * handling; progress and the final failure reason go to job_runs.
 */
import PgBoss from "pg-boss";
import type { Db } from "../storage/db.ts";
import {
  findJobRun,
  insertJobRun,
  markJobRun,
  type JobRunRecord,
} from "../storage/repositories/job-run.repository.ts";
import {
  JOB_NAMES,
  JOBS,
  type JobDefinition,
  type JobHandlers,
  type JobName,
  type JobPayload,
} from "./job-definitions.ts";

export interface JobQueue {
  /** Validates and enqueues; returns the job id. */
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    opts?: { orgId: string; caseRef?: string | null },
  ): Promise<string>;
  status(orgId: string, jobId: string): Promise<JobRunRecord | null>;
  stop(): Promise<void>;
}

export interface StartQueueOptions {
  db: Db;
  /** Handlers to run in this process (worker role); omit for an api-only process. */
  handlers?: JobHandlers;
  /** Seconds between polls for new work. */
  pollingIntervalSeconds?: number;
  onError?: (e: Error) => void;
}

const DEFAULT_ORG = "00000000-0000-0000-0000-000000000001";

/** Starts pg-boss (creating its schema on first run), its queues, schedules and, if given, the workers. */
export async function startJobQueue(opts: StartQueueOptions): Promise<JobQueue> {
  const { db } = opts;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => db.executeSql(text, values) },
    // Maintenance and cron run only where work is done; an api-only process just sends.
    supervise: opts.handlers !== undefined,
    schedule: opts.handlers !== undefined,
  });
  boss.on("error", (e) => opts.onError?.(e));
  await boss.start();
  for (const name of JOB_NAMES) {
    const d = JOBS[name];
    await boss.createQueue(name, {
      name,
      retryLimit: d.retry.limit,
      retryDelay: d.retry.delaySeconds,
      retryBackoff: d.retry.backoff,
      expireInSeconds: d.expireInSeconds,
    });
  }
  if (opts.handlers) {
    const handlers = opts.handlers;
    for (const name of JOB_NAMES) {
      const d: JobDefinition = JOBS[name];
      if (d.cron) {
        await boss.schedule(name, d.cron, {}, { tz: "UTC" });
      }
      await boss.work(
        name,
        { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1, includeMetadata: true },
        async ([job]) => {
          if (!job) {
            return;
          }
          await runOne(db, handlers, name, job.id, job.data, job.retryCount, job.retryLimit);
        },
      );
    }
  }
  return {
    async enqueue(name, payload, o) {
      const data = JOBS[name].schema.parse(payload);
      const id = await boss.send(name, data as object);
      if (!id) {
        throw new Error(`pg-boss refused job ${name}`);
      }
      await insertJobRun(db, {
        jobId: id,
        orgId: o?.orgId ?? DEFAULT_ORG,
        name,
        caseRef: o?.caseRef ?? null,
      });
      return id;
    },
    status: (orgId, jobId) => findJobRun(db, orgId, jobId),
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

async function runOne(
  db: Db,
  handlers: JobHandlers,
  name: JobName,
  jobId: string,
  data: unknown,
  retryCount: number,
  retryLimit: number,
): Promise<void> {
  // A scheduled job has no job_runs row yet: create it so its progress is visible too.
  await insertJobRun(db, { jobId, orgId: DEFAULT_ORG, name, caseRef: null });
  await markJobRun(db, jobId, { state: "active", attempt: true });
  // Handlers may report progress without awaiting it; the writes are chained and the last awaited
  // before the final state (completed, retrying or failed), so a late progress write cannot land
  // after it (it would overwrite "completed"'s progress 1).
  let progressWrites: Promise<void> = Promise.resolve();
  const ctx = {
    jobId,
    progress: (fraction: number, message?: string) => {
      progressWrites = progressWrites
        .catch(() => undefined)
        .then(() =>
          markJobRun(db, jobId, { progress: Math.max(0, Math.min(1, fraction)), message: message ?? null }),
        );
      return progressWrites;
    },
  };
  try {
    const parsed = JOBS[name].schema.safeParse(data);
    if (!parsed.success) {
      throw new Error(`invalid payload: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    const outcome = await dispatch(handlers, name, parsed.data, ctx);
    await progressWrites.catch(() => undefined);
    await markJobRun(db, jobId, {
      state: "completed",
      progress: 1,
      result: outcome,
      message: outcome.status === "skipped" ? outcome.reason : null,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const last = retryCount >= retryLimit;
    await progressWrites.catch(() => undefined);
    await markJobRun(db, jobId, {
      state: last ? "failed" : "retrying",
      failureReason: reason.slice(0, 2000),
    });
    // Rethrow so pg-boss applies the retry policy and records its own failure.
    throw e;
  }
}

function dispatch(
  handlers: JobHandlers,
  name: JobName,
  payload: unknown,
  ctx: Parameters<JobHandlers[JobName]>[1],
) {
  switch (name) {
    case "export.ingest":
      return handlers[name](JOBS[name].schema.parse(payload), ctx);
    case "clock.sweep":
      return handlers[name](JOBS[name].schema.parse(payload), ctx);
  }
}
