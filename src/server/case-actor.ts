/**
 * @module case-actor
 * The signed-in user as the case services see them: an Actor holding their organisation role.
 */
import type { Actor } from "../domain/workflow/roles.ts";
import type { AuthContext } from "../services/resolve-session.ts";

export function actorOf(auth: AuthContext): Actor {
  return { userId: auth.userId, roles: [auth.role] };
}
