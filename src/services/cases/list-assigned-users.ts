/**
 * @module list-assigned-users
 * Who is assigned to a case, in which roles.
 */
import { selectAssignments, type AssignmentRow } from "../../storage/repositories/case.repository.ts";
import type { CaseDeps } from "./case-deps.ts";

/** Assignments of a case, oldest first. */
export function listAssignedUsers(
  deps: CaseDeps,
  input: { orgId: string; caseId: string },
): Promise<AssignmentRow[]> {
  return selectAssignments(deps.db, input.orgId, input.caseId);
}
