-- Foundation: organisations, evidence acquisition, parsed chat exports, and the hash-chained ledger.
-- Every row belongs to an organisation so one deployment can serve many forces (ROADMAP.md).

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The organisation a single-laptop installation works in.
INSERT INTO organisations (id, slug, name)
VALUES ('00000000-0000-0000-0000-000000000001', 'default', 'Default organisation');

-- One row per file taken in, written before any parsing. The bytes live in the evidence store under
-- their sha256; this row says who took them, when, how, why, and under which authority.
CREATE TABLE acquisitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  case_ref text NOT NULL,
  sha256 char(64) NOT NULL,
  size_bytes bigint NOT NULL,
  original_name text NOT NULL,
  media_type text NOT NULL,
  acquired_by text NOT NULL,
  acquired_at timestamptz NOT NULL,
  method text NOT NULL CHECK (method IN ('upload', 'device_extraction', 'provided_by_reporter', 'other')),
  scope_statement text NOT NULL,
  scope_chat text,
  scope_date_from date,
  scope_date_to date,
  scope_justification text,
  scope_authorised_by text,
  status text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'parsing', 'parsed', 'failed')),
  failure_reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX acquisitions_case ON acquisitions (org_id, case_ref);
CREATE INDEX acquisitions_sha ON acquisitions (sha256);

-- Members of an acquired zip, each with its own hash, so an attachment named in the chat can be tied
-- to exact bytes.
CREATE TABLE archive_members (
  org_id uuid NOT NULL REFERENCES organisations(id),
  acquisition_id uuid NOT NULL REFERENCES acquisitions(id),
  path text NOT NULL,
  sha256 char(64) NOT NULL,
  size_bytes bigint NOT NULL,
  role text NOT NULL CHECK (role IN ('chat_text', 'media', 'other')),
  PRIMARY KEY (acquisition_id, path)
);
CREATE INDEX archive_members_sha ON archive_members (sha256);

-- The result of parsing one acquisition with one parser version (re-parsing is idempotent).
CREATE TABLE chat_exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  acquisition_id uuid NOT NULL REFERENCES acquisitions(id),
  parser_version text NOT NULL,
  format text NOT NULL,
  variant text NOT NULL,
  chat_title text,
  date_order text NOT NULL,
  date_order_status text NOT NULL,
  date_order_alternatives text[] NOT NULL DEFAULT '{}',
  date_order_evidence text NOT NULL,
  record_count integer NOT NULL,
  message_count integer NOT NULL,
  system_count integer NOT NULL,
  out_of_order_count integer NOT NULL,
  first_ts timestamp,
  last_ts timestamp,
  issues jsonb NOT NULL DEFAULT '[]',
  issues_truncated integer NOT NULL DEFAULT 0,
  parsed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (acquisition_id, parser_version)
);

-- One row per record, in file order. `ts` is the local wall-clock time as written (no zone: the export
-- has none); `raw` is the verbatim text, the other fields are normalised beside it.
CREATE TABLE chat_records (
  org_id uuid NOT NULL REFERENCES organisations(id),
  export_id uuid NOT NULL REFERENCES chat_exports(id),
  idx integer NOT NULL,
  line integer NOT NULL,
  byte_offset bigint NOT NULL,
  byte_length integer NOT NULL,
  ts timestamp NOT NULL,
  has_seconds boolean NOT NULL,
  author text,
  author_key text,
  kind text NOT NULL CHECK (kind IN ('message', 'system')),
  system_type text,
  body text NOT NULL,
  raw text NOT NULL,
  attachments text[] NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false,
  edited boolean NOT NULL DEFAULT false,
  media_omitted boolean NOT NULL DEFAULT false,
  view_once boolean NOT NULL DEFAULT false,
  out_of_order boolean NOT NULL DEFAULT false,
  location text,
  poll jsonb,
  platform_id text,
  reply_to_idx integer,
  PRIMARY KEY (export_id, idx)
);
CREATE INDEX chat_records_author ON chat_records (export_id, author_key);

-- An attachment named in a record, linked to the zip member with the same name when there is one.
CREATE TABLE record_attachments (
  org_id uuid NOT NULL REFERENCES organisations(id),
  export_id uuid NOT NULL REFERENCES chat_exports(id),
  record_idx integer NOT NULL,
  position integer NOT NULL,
  file_name text NOT NULL,
  member_path text,
  sha256 char(64),
  PRIMARY KEY (export_id, record_idx, position)
);
CREATE INDEX record_attachments_sha ON record_attachments (sha256);

CREATE TABLE chat_participants (
  org_id uuid NOT NULL REFERENCES organisations(id),
  export_id uuid NOT NULL REFERENCES chat_exports(id),
  author_key text NOT NULL,
  display_name text NOT NULL,
  message_count integer NOT NULL,
  first_ts timestamp,
  last_ts timestamp,
  PRIMARY KEY (export_id, author_key)
);
CREATE INDEX chat_participants_key ON chat_participants (org_id, author_key);

-- The ledger: append-only, hash-chained per organisation. Each entry's hash covers its content and
-- the previous entry's hash. The triggers below refuse UPDATE and DELETE for every role, on both engines.
CREATE TABLE ledger_entries (
  org_id uuid NOT NULL REFERENCES organisations(id),
  seq bigint NOT NULL,
  event_type text NOT NULL,
  case_ref text,
  actor text NOT NULL,
  occurred_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  prev_hash char(64) NOT NULL,
  hash char(64) NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE INDEX ledger_case ON ledger_entries (org_id, case_ref);

CREATE FUNCTION ledger_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_immutable();
