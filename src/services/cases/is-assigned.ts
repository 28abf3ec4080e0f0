/**
 * @module is-assigned
 * Whether a user holds any (or a given) role on a case.
 */
import type { CaseRole } from "../../domain/workflow/roles.ts";
import { selectAssignments } from "../../storage/repositories/case.repository.ts";
import type { CaseDeps } from "./case-deps.ts";

/** True when the user is assigned to the case (in `role`, when given). */
export async function isAssigned(
  deps: CaseDeps,
  input: { orgId: string; caseId: string; userId: string; role?: CaseRole },
): Promise<boolean> {
  const rows = await selectAssignments(deps.db, input.orgId, input.caseId);
  return rows.some((r) => r.userId === input.userId && (input.role === undefined || r.role === input.role));
}
