-- The case system: cases, reports and reporter access, subjects and allegations with their workflow,
-- triage and referral decisions, clocks and notifications, messages and notes, protection and the
-- retaliation watch, victims, NDAs, and the data for conflict checks. Users belong to case-api
-- (0150_accounts.sql): user ids here are plain uuids without a foreign key.

-- Per-organisation, per-year counter behind case references such as UPS-2026-000123.
CREATE TABLE case_counters (
  org_id uuid NOT NULL REFERENCES organisations(id),
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (org_id, year)
);

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  reference text NOT NULL,
  workflow_id text NOT NULL,
  title text NOT NULL,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  UNIQUE (org_id, reference)
);

CREATE TABLE case_assignments (
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  user_id uuid NOT NULL,
  role text NOT NULL,
  assigned_by uuid NOT NULL,
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (case_id, user_id, role)
);
CREATE INDEX case_assignments_user ON case_assignments (org_id, user_id);

-- A report as received. Nothing identifying is stored for anonymous reports: no IP address, user agent
-- or account; only a sha256 lookup hash of the receipt code and an argon2 hash of the passphrase.
CREATE TABLE reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  mode text NOT NULL CHECK (mode IN ('named', 'confidential', 'anonymous')),
  body text NOT NULL,
  is_disclosure boolean NOT NULL,
  received_at timestamptz NOT NULL,
  reporter_user_id uuid,
  receipt_lookup char(64) UNIQUE,
  passphrase_hash text,
  CHECK (mode <> 'anonymous' OR (reporter_user_id IS NULL AND receipt_lookup IS NOT NULL AND passphrase_hash IS NOT NULL))
);
CREATE INDEX reports_case ON reports (case_id);
CREATE INDEX reports_reporter ON reports (org_id, reporter_user_id);

-- The reporter's identity, apart from the report. Confidential identities are restricted: readable by the
-- protection officer and whoever they grant access to.
CREATE TABLE reporter_identities (
  org_id uuid NOT NULL REFERENCES organisations(id),
  report_id uuid PRIMARY KEY REFERENCES reports(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  restricted boolean NOT NULL,
  full_name text NOT NULL,
  contact text,
  name_key text NOT NULL
);

CREATE TABLE identity_access_grants (
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  user_id uuid NOT NULL,
  granted_by uuid NOT NULL,
  granted_at timestamptz NOT NULL,
  reason text NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (case_id, user_id)
);

-- Messages exchanged with the reporter (the only thing the reporter can read besides the case status).
CREATE TABLE reporter_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  report_id uuid NOT NULL REFERENCES reports(id),
  direction text NOT NULL CHECK (direction IN ('to_reporter', 'from_reporter')),
  kind text NOT NULL CHECK (kind IN ('message', 'acknowledgement', 'feedback', 'notice')),
  body text NOT NULL,
  author_user_id uuid,
  sent_at timestamptz NOT NULL
);
CREATE INDEX reporter_messages_report ON reporter_messages (report_id, sent_at);

-- Investigators' notes: a separate table, never read by any reporter-facing query.
CREATE TABLE case_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  author_user_id uuid NOT NULL,
  body text NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, written_at);

CREATE TABLE case_subjects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  display_name text NOT NULL,
  name_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('officer', 'staff', 'contractor', 'former_officer')),
  role_title text,
  added_at timestamptz NOT NULL
);
CREATE INDEX case_subjects_key ON case_subjects (org_id, name_key);
CREATE INDEX case_subjects_case ON case_subjects (case_id);

-- A subject's management chain (level 1 = line manager), for conflict exclusion.
CREATE TABLE subject_managers (
  org_id uuid NOT NULL REFERENCES organisations(id),
  subject_id uuid NOT NULL REFERENCES case_subjects(id),
  level integer NOT NULL CHECK (level >= 1),
  display_name text NOT NULL,
  name_key text NOT NULL,
  PRIMARY KEY (subject_id, level, name_key)
);

-- One allegation per subject per regime, each with its own workflow state.
CREATE TABLE allegations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  subject_id uuid NOT NULL REFERENCES case_subjects(id),
  regime text NOT NULL,
  state text NOT NULL,
  summary text NOT NULL,
  severity text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (subject_id, regime)
);
CREATE INDEX allegations_case ON allegations (case_id);

-- Every state change of an allegation (the ledger holds the same, hash-chained).
CREATE TABLE allegation_transitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  allegation_id uuid NOT NULL REFERENCES allegations(id),
  from_state text NOT NULL,
  to_state text NOT NULL,
  actor_user_id uuid NOT NULL,
  reason text,
  details jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL
);
CREATE INDEX allegation_transitions_allegation ON allegation_transitions (allegation_id, occurred_at);

CREATE TABLE triage_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  allegation_id uuid NOT NULL REFERENCES allegations(id),
  decision text NOT NULL CHECK (decision IN ('recorded_conduct_matter', 'recorded_complaint', 'not_recorded')),
  rationale text NOT NULL CHECK (length(btrim(rationale)) > 0),
  decided_by uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('final', 'awaiting_review', 'confirmed', 'rejected')),
  notice_to_reporter text,
  reviewed_by uuid,
  reviewed_at timestamptz,
  review_comment text,
  CHECK (reviewed_by IS NULL OR reviewed_by <> decided_by)
);
CREATE INDEX triage_decisions_allegation ON triage_decisions (allegation_id);

CREATE TABLE referral_checks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  allegation_id uuid NOT NULL REFERENCES allegations(id),
  answers jsonb NOT NULL,
  referral_required boolean NOT NULL,
  checked_by uuid NOT NULL,
  checked_at timestamptz NOT NULL
);
CREATE INDEX referral_checks_allegation ON referral_checks (allegation_id);

CREATE TABLE case_clocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  allegation_id uuid REFERENCES allegations(id),
  kind text NOT NULL,
  started_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  met_at timestamptz,
  stopped_at timestamptz
);
CREATE INDEX case_clocks_open ON case_clocks (due_at) WHERE met_at IS NULL AND stopped_at IS NULL;
CREATE INDEX case_clocks_case ON case_clocks (case_id);

-- Reminders and breaches, addressed to a role on the case. The unique key makes the sweep idempotent.
CREATE TABLE case_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  clock_id uuid REFERENCES case_clocks(id),
  kind text NOT NULL CHECK (kind IN ('clock_reminder', 'clock_breach')),
  recipient_role text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  UNIQUE (clock_id, kind, recipient_role)
);
CREATE INDEX case_notifications_case ON case_notifications (org_id, case_id);

CREATE TABLE protection_tracks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
  report_id uuid NOT NULL REFERENCES reports(id),
  disclosed_at timestamptz NOT NULL,
  legal_bases text[] NOT NULL,
  risk_level text CHECK (risk_level IN ('low', 'medium', 'high')),
  risk_assessment text,
  risk_assessed_by uuid,
  risk_assessed_at timestamptz,
  plan text,
  plan_by uuid,
  plan_at timestamptz,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by uuid,
  close_reason text
);

CREATE TABLE adverse_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  kind text NOT NULL,
  description text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL,
  recorder_function text NOT NULL CHECK (recorder_function IN ('hr', 'intake')),
  recorded_at timestamptz NOT NULL,
  flagged boolean NOT NULL,
  flag_reason text,
  review_status text NOT NULL CHECK (review_status IN ('not_required', 'awaiting_review', 'reviewed')),
  reviewed_by uuid,
  review_justification text,
  review_decision text,
  reviewed_at timestamptz,
  CHECK (reviewed_by IS NULL OR reviewed_by <> recorded_by)
);
CREATE INDEX adverse_events_case ON adverse_events (case_id);

CREATE TABLE victim_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  item_kind text NOT NULL CHECK (item_kind IN ('image', 'message')),
  image_sha256 char(64),
  image_phash text,
  export_id uuid,
  record_idx integer,
  description text NOT NULL,
  identification_status text NOT NULL
    CHECK (identification_status IN ('not_attempted', 'in_progress', 'identified', 'unidentifiable')),
  identified_person text,
  notification_decision text
    CHECK (notification_decision IN ('notified_support_offered', 'not_notified_unidentifiable', 'not_notified_risk', 'declined')),
  notification_reason text,
  decided_by uuid,
  decided_at timestamptz,
  offence_suspected text,
  referred_to text,
  referred_at timestamptz,
  catalogued_by uuid NOT NULL,
  catalogued_at timestamptz NOT NULL,
  CHECK (item_kind <> 'image' OR image_sha256 IS NOT NULL OR image_phash IS NOT NULL),
  CHECK (item_kind <> 'message' OR (export_id IS NOT NULL AND record_idx IS NOT NULL))
);
CREATE INDEX victim_items_case ON victim_items (case_id);
CREATE INDEX victim_items_sha ON victim_items (image_sha256);
CREATE INDEX victim_items_phash ON victim_items (image_phash);

CREATE TABLE nda_agreements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_id uuid REFERENCES cases(id),
  parties text[] NOT NULL,
  agreement_date date NOT NULL,
  clause_text text NOT NULL,
  assessment text CHECK (assessment IN ('void_protected_disclosure', 'void_victim_of_crime', 'restricted', 'valid')),
  assessment_reason text,
  assessed_by uuid,
  assessed_at timestamptz,
  release_letter_sent_at timestamptz,
  acknowledged_at timestamptz,
  registered_by uuid NOT NULL,
  registered_at timestamptz NOT NULL
);

-- An admin's decision that a user is (confirmed) or is not (cleared) a given chat participant.
CREATE TABLE user_participant_matches (
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL,
  person_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('confirmed', 'cleared')),
  decided_by uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  reason text,
  PRIMARY KEY (org_id, user_id, person_key)
);
CREATE INDEX user_participant_matches_key ON user_participant_matches (org_id, person_key);
