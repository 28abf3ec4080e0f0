/**
 * @module session.repository
 * Server-side sessions, keyed by the HMAC of the session id (the id itself is only in the cookie).
 */
import { date, text } from "../row-values.ts";
import type { Queryable, Row } from "../db.ts";

export interface SessionRecord {
  idHash: string;
  orgId: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

function toSession(r: Row): SessionRecord {
  return {
    idHash: text(r.id_hash),
    orgId: text(r.org_id),
    userId: text(r.user_id),
    csrfToken: text(r.csrf_token),
    expiresAt: date(r.expires_at),
  };
}

export async function insertSession(q: Queryable, s: SessionRecord, createdAt: Date): Promise<void> {
  await q.query(
    "INSERT INTO sessions (id_hash, org_id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    [s.idHash, s.orgId, s.userId, s.csrfToken, createdAt, s.expiresAt],
  );
}

export async function findSession(q: Queryable, idHash: string): Promise<SessionRecord | null> {
  const [row] = await q.query(
    "SELECT id_hash, org_id, user_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1",
    [idHash],
  );
  return row ? toSession(row) : null;
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
