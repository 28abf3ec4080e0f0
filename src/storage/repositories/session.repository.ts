/**
 * @module session.repository
 * Server-side sessions, keyed by the HMAC of the session id (the id itself is only in the cookie).
 */
import { date, text } from "../row-values.ts";
import type { Queryable, Row } from "../db.ts";
import { toUser, USER_COLS, type UserRecord } from "./user.repository.ts";

export interface SessionRecord {
  idHash: string;
  orgId: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  /** Last use (refreshed at most once a minute); absent when inserting (then the creation time). */
  lastSeenAt?: Date;
}

function toSession(r: Row): SessionRecord {
  return {
    idHash: text(r.id_hash),
    orgId: text(r.org_id),
    userId: text(r.user_id),
    csrfToken: text(r.csrf_token),
    expiresAt: date(r.expires_at),
    lastSeenAt: date(r.last_seen_at),
  };
}

export async function insertSession(q: Queryable, s: SessionRecord, createdAt: Date): Promise<void> {
  await q.query(
    "INSERT INTO sessions (id_hash, org_id, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
    [s.idHash, s.orgId, s.userId, s.csrfToken, createdAt, s.expiresAt],
  );
}

/**
 * A session and its user in one round trip: every authenticated request resolves its cookie, so this is
 * the hottest read the API makes. The user is read in the same statement (same snapshot), so a user
 * disabled after the session began is seen as disabled.
 */
export async function findSessionWithUser(
  q: Queryable,
  idHash: string,
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const cols = USER_COLS.split(",")
    .map((c) => `u.${c.trim()}`)
    .join(", ");
  const [row] = await q.query(
    `SELECT s.id_hash, s.org_id AS s_org_id, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, ${cols}
     FROM sessions s JOIN users u ON u.org_id = s.org_id AND u.id = s.user_id WHERE s.id_hash = $1`,
    [idHash],
  );
  if (!row) {
    return null;
  }
  return { session: toSession({ ...row, org_id: row.s_org_id }), user: toUser(row) };
}

/**
 * Records a use of the session unless one was recorded after `staleBefore`. Concurrent requests of one
 * session that all find it stale queue on the row; the condition is re-checked on the updated row, so
 * only the first writes and the others commit nothing.
 */
export async function touchSession(q: Queryable, idHash: string, at: Date, staleBefore: Date): Promise<void> {
  await q.query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at <= $3", [
    idHash,
    at,
    staleBefore,
  ]);
}

export async function deleteSession(q: Queryable, idHash: string): Promise<void> {
  await q.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
}

export async function deleteSessionsOfUser(q: Queryable, userId: string): Promise<void> {
  await q.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
}

export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  const rows = await q.query("DELETE FROM sessions WHERE expires_at <= $1 RETURNING id_hash", [now]);
  return rows.length;
}
