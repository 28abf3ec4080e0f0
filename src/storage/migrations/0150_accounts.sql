-- Accounts, sessions and per-case access (case-api). Every table carries org_id.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('reporter', 'intake_officer', 'investigator', 'appropriate_authority',
    'protection_officer', 'victim_liaison', 'oversight', 'admin')),
  -- argon2id PHC string; NULL for an account that signs in only through OIDC.
  password_hash text,
  oidc_issuer text,
  oidc_subject text,
  -- Kept so the user can be matched against chat participants and management chains (conflicts).
  phone text,
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, email)
);
CREATE UNIQUE INDEX users_oidc ON users (org_id, oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- The session id itself never reaches the database: only its HMAC under the server's session secret.
CREATE TABLE sessions (
  id_hash char(64) PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  -- Synchronizer token: must come back in x-csrf-token on every state-changing request.
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Case assignments and conflict-match decisions live in the case-domain migration (0100_cases.sql).
