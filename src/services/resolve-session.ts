/**
 * @module resolve-session
 * Turns a session cookie into the signed-in user, or null when the session is unknown, expired, or its
 * user is disabled or locked.
 */
import { RoleSchema, type Role } from "../contract/api-common.ts";
import type { Db } from "../storage/db.ts";
import { deleteSession, findSessionWithUser } from "../storage/repositories/session.repository.ts";
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

export async function resolveSession(
  deps: { db: Db; clock: () => Date; secret: string },
  sessionId: string,
): Promise<AuthContext | null> {
  const idHash = hashSessionId(deps.secret, sessionId);
  const found = await findSessionWithUser(deps.db, idHash);
  if (!found) {
    return null;
  }
  const { session: s, user: u } = found;
  const now = deps.clock();
  if (s.expiresAt <= now) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  if (u.disabled || (u.lockedUntil && u.lockedUntil > now)) {
    return null;
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
