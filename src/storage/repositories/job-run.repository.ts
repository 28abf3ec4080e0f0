/**
 * @module job-run.repository
 * Progress and outcome of background jobs, as shown to users.
 */
import { date, text, textOrNull } from "../row-values.ts";
import type { Queryable, Row } from "../db.ts";

export type JobRunState = "queued" | "active" | "retrying" | "completed" | "failed";

export interface JobRunRecord {
  jobId: string;
  orgId: string;
  name: string;
  caseRef: string | null;
  state: JobRunState;
  progress: number;
  progressMessage: string | null;
  attempts: number;
  failureReason: string | null;
  updatedAt: Date;
}

function toRun(r: Row): JobRunRecord {
  const s = text(r.state);
  const state: JobRunState =
    s === "active" || s === "retrying" || s === "completed" || s === "failed" ? s : "queued";
  return {
    jobId: text(r.job_id),
    orgId: text(r.org_id),
    name: text(r.name),
    caseRef: textOrNull(r.case_ref),
    state,
    progress: Number(r.progress),
    progressMessage: textOrNull(r.progress_message),
    attempts: Number(r.attempts),
    failureReason: textOrNull(r.failure_reason),
    updatedAt: date(r.updated_at),
  };
}

export async function insertJobRun(
  q: Queryable,
  r: { jobId: string; orgId: string; name: string; caseRef: string | null },
): Promise<void> {
  await q.query(
    "INSERT INTO job_runs (job_id, org_id, name, case_ref, state) VALUES ($1, $2, $3, $4, 'queued') ON CONFLICT DO NOTHING",
    [r.jobId, r.orgId, r.name, r.caseRef],
  );
}

export async function markJobRun(
  q: Queryable,
  jobId: string,
  patch: {
    state?: JobRunState;
    progress?: number;
    message?: string | null;
    failureReason?: string | null;
    attempt?: boolean;
    result?: unknown;
  },
): Promise<void> {
  await q.query(
    `UPDATE job_runs SET state = COALESCE($2, state), progress = COALESCE($3, progress),
       progress_message = CASE WHEN $4::boolean THEN $5 ELSE progress_message END,
       failure_reason = CASE WHEN $6::boolean THEN $7 ELSE failure_reason END,
       attempts = attempts + CASE WHEN $8::boolean THEN 1 ELSE 0 END,
       result = COALESCE($9, result), updated_at = now()
     WHERE job_id = $1`,
    [
      jobId,
      patch.state ?? null,
      patch.progress ?? null,
      patch.message !== undefined,
      patch.message ?? null,
      patch.failureReason !== undefined,
      patch.failureReason ?? null,
      patch.attempt === true,
      patch.result === undefined ? null : JSON.stringify(patch.result),
    ],
  );
}

export async function findJobRun(q: Queryable, orgId: string, jobId: string): Promise<JobRunRecord | null> {
  const [row] = await q.query(
    `SELECT job_id, org_id, name, case_ref, state, progress, progress_message, attempts, failure_reason, updated_at
     FROM job_runs WHERE org_id = $1 AND job_id = $2`,
    [orgId, jobId],
  );
  return row ? toRun(row) : null;
}

export async function listJobRunsForCase(
  q: Queryable,
  orgId: string,
  caseRef: string,
): Promise<JobRunRecord[]> {
  const rows = await q.query(
    `SELECT job_id, org_id, name, case_ref, state, progress, progress_message, attempts, failure_reason, updated_at
     FROM job_runs WHERE org_id = $1 AND case_ref = $2 ORDER BY created_at`,
    [orgId, caseRef],
  );
  return rows.map(toRun);
}
