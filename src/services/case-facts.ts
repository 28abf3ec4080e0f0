/**
 * @module case-facts
 * The CaseFacts port over the database: case state for the role-wide rules, assignments, and conflict
 * matching through the case domain's checkUserConflict (the user's display name and phone against the
 * people the case names: chat participants, subjects, management chains; administrators' confirmed and
 * cleared matches applied).
 */
import type { Db } from "../storage/db.ts";
import { selectCaseAccessFacts, selectIsAssigned } from "../storage/repositories/case-access.repository.ts";
import type { CaseFacts, ConflictMatch } from "./authorize.ts";
import { checkUserConflict } from "./conflicts/check-user-conflict.ts";

export function dbCaseFacts(db: Db): CaseFacts {
  return {
    caseState: (orgId, caseId) => selectCaseAccessFacts(db, orgId, caseId),
    isAssigned: (orgId, caseId, userId) => selectIsAssigned(db, orgId, caseId, userId),
    async conflicts(user, caseId): Promise<ConflictMatch[]> {
      const r = await checkUserConflict(
        { db },
        {
          orgId: user.orgId,
          caseId,
          userId: user.userId,
          names: [user.displayName, user.phone ?? ""].filter(Boolean),
        },
      );
      return r.reasons.map((k) => ({ source: k.source, personKey: k.key, label: k.displayName }));
    },
  };
}
