/**
 * @module roles
 * The case roles a user can hold on a case. case-api resolves a user's roles on a case (assignment,
 * organisation role) and passes them to the services, which check them against the workflow.
 */

export const CASE_ROLES = [
  "reporter",
  "intake_officer",
  "investigator",
  "appropriate_authority",
  "protection_officer",
  "victim_liaison",
  "oversight",
  "admin",
] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

/** Who is acting: a user id (uuid) and the roles they hold on the case in question. */
export interface Actor {
  userId: string;
  roles: readonly CaseRole[];
}

/** True when the actor holds at least one of the roles. */
export function hasAnyRole(actor: Actor, roles: readonly CaseRole[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}
