/**
 * @module deps
 * What the routes get from buildApp: the database, the clock, the configuration and the ports.
 */
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import type { PasswordHasher } from "../services/password-hasher.ts";
import type { AppConfig } from "./config.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { CaseFacts } from "../services/authorize.ts";

export interface AppDeps {
  db: Db;
  clock: () => Date;
  config: AppConfig;
  sessionSecret: string;
  hasher: PasswordHasher;
  /** Absent when the process runs without a queue (some tests). */
  jobs: JobQueue | undefined;
  store: EvidenceStore | undefined;
  orgId: string;
  caseFacts: CaseFacts;
}

export const DEFAULT_ORG_ID = "00000000-0000-0000-0000-000000000001";
