-- When each session was last used, for the idle timeout (UPSTANDER_SESSION_IDLE_MINUTES). Refreshed at
-- most once a minute per session, so an authenticated read does not become a write.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;
