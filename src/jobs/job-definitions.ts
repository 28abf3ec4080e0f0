/**
 * @module job-definitions
 * Every background job: its name, its payload schema (checked when enqueued and again when handled),
 * its retry policy and, for scheduled jobs, its cron. Handlers live in job-handlers.ts.
 */
import { z } from "zod";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  delaySeconds: number;
  backoff: boolean;
}

export interface JobDefinition {
  schema: z.ZodType;
  retry: RetryPolicy;
  expireInSeconds: number;
  /** Cron (UTC) for scheduled jobs. */
  cron?: string;
}

export const ExportIngestPayloadSchema = z.object({
  orgId: z.guid(),
  caseRef: z.string().min(1),
  /** A file the api process wrote under the data directory's incoming/ folder. */
  filePath: z.string().min(1),
  originalName: z.string().min(1).max(255),
  mediaType: z.string().min(1).max(200),
  acquiredBy: z.string().min(1),
  method: z.enum(["upload", "device_extraction", "provided_by_reporter", "other"]),
  scopeStatement: z.string().min(1),
  scopeChat: z.string().nullable(),
  scopeDateFrom: z.string().nullable(),
  scopeDateTo: z.string().nullable(),
  scopeJustification: z.string().nullable(),
  scopeAuthorisedBy: z.string().nullable(),
});

export const ClockSweepPayloadSchema = z.object({ orgId: z.guid().optional() });

export const JOBS = {
  "export.ingest": {
    schema: ExportIngestPayloadSchema,
    // Parsing is deterministic: a retry helps only with transient storage errors.
    retry: { limit: 2, delaySeconds: 30, backoff: true },
    expireInSeconds: 60 * 60,
  },
  "clock.sweep": {
    schema: ClockSweepPayloadSchema,
    // Idempotent (notifications are unique per clock, kind and role), so a retry is harmless.
    retry: { limit: 1, delaySeconds: 60, backoff: false },
    expireInSeconds: 10 * 60,
    cron: "*/5 * * * *",
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["schema"]>;
export const JOB_NAMES = Object.keys(JOBS).filter((n): n is JobName => n in JOBS);

export type JobOutcome = { status: "success"; result?: unknown } | { status: "skipped"; reason: string };

export interface JobContext {
  jobId: string;
  /** Records progress (0..1) and a short message for the UI. */
  progress(fraction: number, message?: string): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<JobOutcome>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };
