/**
 * @module list-cases-for-user
 * The ids of the cases a user is assigned to (the usual "cases this user may access" set).
 */
import { selectCaseIdsForUser } from "../../storage/repositories/case.repository.ts";
import type { CaseDeps } from "./case-deps.ts";

export function listCasesForUser(
  deps: CaseDeps,
  input: { orgId: string; userId: string },
): Promise<string[]> {
  return selectCaseIdsForUser(deps.db, input.orgId, input.userId);
}
