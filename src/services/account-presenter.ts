/**
 * @module account-presenter
 * Maps a stored user to the API shape (never the hash, never the failed-attempt counter).
 */
import { RoleSchema } from "../contract/api-common.ts";
import type { User } from "../contract/api-auth.ts";
import type { UserRecord } from "../storage/repositories/user.repository.ts";

export function presentUser(u: UserRecord, now: Date): User {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: RoleSchema.parse(u.role),
    disabled: u.disabled,
    lockedUntil: u.lockedUntil && u.lockedUntil > now ? u.lockedUntil.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
  };
}
