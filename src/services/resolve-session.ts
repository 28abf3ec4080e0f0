/**
 * @module resolve-session
 * Turns a session cookie into the signed-in user, or null when the session is unknown, past its absolute
 * lifetime, idle for the configured time (then it is deleted), or its user is disabled or locked. A use
 * is recorded at most once a minute, so the idle timeout is exact to within a minute.
 */
import { RoleSchema, type Role } from "../contract/api-common.ts";
import type { Db } from "../storage/db.ts";
import {
  deleteSession,
  findSessionWithUser,
  touchSession,
} from "../storage/repositories/session.repository.ts";
import { hashSessionId } from "./session-token.ts";

export interface AuthContext {
  userId: string;
  orgId: string;
  role: Role;
  email: string;
  displayName: string;
  phone: string | null;
  sessionHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Last-use times are written at most this often per session: an authenticated read stays a read. */
export const TOUCH_INTERVAL_MS = 60_000;

export async function resolveSession(
  deps: { db: Db; clock: () => Date; secret: string; idleMinutes: number },
  sessionId: string,
): Promise<AuthContext | null> {
  const idHash = hashSessionId(deps.secret, sessionId);
  const found = await findSessionWithUser(deps.db, idHash);
  if (!found) {
    return null;
  }
  const { session: s, user: u } = found;
  const now = deps.clock();
  const lastSeen = s.lastSeenAt ?? now;
  if (s.expiresAt <= now || now.getTime() - lastSeen.getTime() >= deps.idleMinutes * 60_000) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  if (u.disabled || (u.lockedUntil && u.lockedUntil > now)) {
    return null;
  }
  if (now.getTime() - lastSeen.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(deps.db, idHash, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
  }
  return {
    userId: u.id,
    orgId: u.orgId,
    role: RoleSchema.parse(u.role),
    email: u.email,
    displayName: u.displayName,
    phone: u.phone,
    sessionHash: idHash,
    csrfToken: s.csrfToken,
    expiresAt: s.expiresAt,
  };
}
