-- What the UI shows about background work: progress and the final failure reason of each job, beside
-- pg-boss's own tables (which it manages and may archive).
CREATE TABLE job_runs (
  job_id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL,
  case_ref text,
  state text NOT NULL CHECK (state IN ('queued', 'active', 'retrying', 'completed', 'failed')),
  progress real NOT NULL DEFAULT 0,
  progress_message text,
  attempts integer NOT NULL DEFAULT 0,
  failure_reason text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_runs_case ON job_runs (org_id, case_ref);
