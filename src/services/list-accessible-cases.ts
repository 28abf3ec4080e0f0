/**
 * @module list-accessible-cases
 * The cases a user may open: those they are assigned to, plus those a role-wide rule gives them (oversight:
 * referred cases; intake officers: the intake queue), minus any they are conflicted from. Listing is not
 * reading: no evidence or identity is returned, so nothing is ledgered here.
 */
import { ROLE_WIDE_RULES } from "../domain/access/policy.ts";
import type { Db } from "../storage/db.ts";
import {
  selectCaseIdsByRule,
  selectCaseSummaries,
  type CaseSummaryRow,
} from "../storage/repositories/case-access.repository.ts";
import { selectCaseIdsForUser } from "../storage/repositories/case.repository.ts";
import type { CaseFacts } from "./authorize.ts";
import type { AuthContext } from "./resolve-session.ts";

export async function listAccessibleCases(
  deps: { db: Db; caseFacts: CaseFacts },
  auth: AuthContext,
): Promise<CaseSummaryRow[]> {
  const ids = new Set(await selectCaseIdsForUser(deps.db, auth.orgId, auth.userId));
  for (const rule of ROLE_WIDE_RULES) {
    if (rule.role !== auth.role) {
      continue;
    }
    for (const id of await selectCaseIdsByRule(deps.db, auth.orgId, rule.when)) {
      ids.add(id);
    }
  }
  const allowed: string[] = [];
  for (const id of ids) {
    // The gate's one-query read (the same conflict rule every case request applies), not a full
    // conflict check per case.
    const facts = await deps.caseFacts.access(auth, id);
    if (facts && facts.conflicts.length === 0) {
      allowed.push(id);
    }
  }
  return selectCaseSummaries(deps.db, auth.orgId, allowed);
}
