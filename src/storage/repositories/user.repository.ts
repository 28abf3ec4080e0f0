/**
 * @module user.repository
 * Accounts: typed queries only. Lockout arithmetic lives in the sign-in service.
 */
import { date, dateOrNull, text, textOrNull } from "../row-values.ts";
import type { Queryable, Row } from "../db.ts";

export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  displayName: string;
  role: string;
  passwordHash: string | null;
  phone: string | null;
  disabled: boolean;
  failedAttempts: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** The users columns every read selects (toUser reads them). */
export const USER_COLS = `id, org_id, email, display_name, role, password_hash, phone, disabled, failed_attempts, locked_until, created_at`;

export function toUser(r: Row): UserRecord {
  return {
    id: text(r.id),
    orgId: text(r.org_id),
    email: text(r.email),
    displayName: text(r.display_name),
    role: text(r.role),
    passwordHash: textOrNull(r.password_hash),
    phone: textOrNull(r.phone),
    disabled: r.disabled === true,
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: dateOrNull(r.locked_until),
    createdAt: date(r.created_at),
  };
}

export interface NewUser {
  orgId: string;
  email: string;
  displayName: string;
  role: string;
  passwordHash: string | null;
  phone: string | null;
  oidcIssuer?: string | null;
  oidcSubject?: string | null;
}

export async function insertUser(q: Queryable, u: NewUser): Promise<UserRecord> {
  const [row] = await q.query(
    `INSERT INTO users (org_id, email, display_name, role, password_hash, phone, oidc_issuer, oidc_subject)
     VALUES ($1, lower($2), $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLS}`,
    [
      u.orgId,
      u.email,
      u.displayName,
      u.role,
      u.passwordHash,
      u.phone,
      u.oidcIssuer ?? null,
      u.oidcSubject ?? null,
    ],
  );
  if (!row) {
    throw new Error("insert users returned no row");
  }
  return toUser(row);
}

export async function findUserByEmail(
  q: Queryable,
  orgId: string,
  email: string,
): Promise<UserRecord | null> {
  const [row] = await q.query(`SELECT ${USER_COLS} FROM users WHERE org_id = $1 AND email = lower($2)`, [
    orgId,
    email,
  ]);
  return row ? toUser(row) : null;
}

export async function findUserById(q: Queryable, orgId: string, id: string): Promise<UserRecord | null> {
  const [row] = await q.query(`SELECT ${USER_COLS} FROM users WHERE org_id = $1 AND id = $2`, [orgId, id]);
  return row ? toUser(row) : null;
}

export async function findUserByOidc(
  q: Queryable,
  orgId: string,
  issuer: string,
  subject: string,
): Promise<UserRecord | null> {
  const [row] = await q.query(
    `SELECT ${USER_COLS} FROM users WHERE org_id = $1 AND oidc_issuer = $2 AND oidc_subject = $3`,
    [orgId, issuer, subject],
  );
  return row ? toUser(row) : null;
}

export async function listUsers(q: Queryable, orgId: string): Promise<UserRecord[]> {
  const rows = await q.query(`SELECT ${USER_COLS} FROM users WHERE org_id = $1 ORDER BY email`, [orgId]);
  return rows.map(toUser);
}

/** Records a failed password; returns the new count. */
export async function recordFailedAttempt(q: Queryable, id: string): Promise<number> {
  const [row] = await q.query(
    "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts",
    [id],
  );
  return Number(row?.failed_attempts ?? 0);
}

export async function setLockedUntil(q: Queryable, id: string, until: Date | null): Promise<void> {
  await q.query("UPDATE users SET locked_until = $2, failed_attempts = 0 WHERE id = $1", [id, until]);
}

export async function clearFailedAttempts(q: Queryable, id: string): Promise<void> {
  await q.query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1", [id]);
}

export async function updateUser(
  q: Queryable,
  orgId: string,
  id: string,
  patch: { role?: string | undefined; disabled?: boolean | undefined },
): Promise<UserRecord | null> {
  const [row] = await q.query(
    `UPDATE users SET role = COALESCE($3, role), disabled = COALESCE($4, disabled)
     WHERE org_id = $1 AND id = $2 RETURNING ${USER_COLS}`,
    [orgId, id, patch.role ?? null, patch.disabled ?? null],
  );
  return row ? toUser(row) : null;
}

export async function countUsers(q: Queryable, orgId: string): Promise<number> {
  const [row] = await q.query("SELECT count(*)::int AS n FROM users WHERE org_id = $1", [orgId]);
  return Number(row?.n ?? 0);
}

/** Links an OIDC identity to an existing account (first sign-in through the identity provider). */
export async function linkOidcIdentity(
  q: Queryable,
  id: string,
  issuer: string,
  subject: string,
): Promise<void> {
  await q.query("UPDATE users SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1", [id, issuer, subject]);
}
