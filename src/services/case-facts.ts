/**
 * @module case-facts
 * The CaseFacts port over the database: case state for the role-wide rules, assignments, and conflict
 * matching through the case domain's conflict rule (the user's display name and phone against the
 * people the case names: chat participants, subjects, management chains; administrators' confirmed and
 * cleared matches applied). `access` is the gate's per-request read and costs one query.
 */
import type { Db } from "../storage/db.ts";
import { selectCaseAccess } from "../storage/repositories/case-access.repository.ts";
import type { CaseFacts, ConflictMatch } from "./authorize.ts";
import { checkUserConflict, matchUserConflicts, type UserConflict } from "./conflicts/check-user-conflict.ts";

function ownNames(user: { displayName: string; phone: string | null }): string[] {
  return [user.displayName, user.phone ?? ""].filter(Boolean);
}

function toMatches(r: UserConflict): ConflictMatch[] {
  return r.reasons.map((k) => ({ source: k.source, personKey: k.key, label: k.displayName }));
}

export function dbCaseFacts(db: Db): CaseFacts {
  return {
    async access(user, caseId) {
      const row = await selectCaseAccess(db, user.orgId, caseId, user.userId);
      if (!row) {
        return null;
      }
      return {
        reference: row.reference,
        referred: row.referred,
        inIntake: row.inIntake,
        assigned: row.assigned,
        conflicts: toMatches(matchUserConflicts(row.conflictKeys, row.userMatches, ownNames(user))),
      };
    },
    async conflicts(user, caseId): Promise<ConflictMatch[]> {
      const r = await checkUserConflict(
        { db },
        { orgId: user.orgId, caseId, userId: user.userId, names: ownNames(user) },
      );
      return toMatches(r);
    },
  };
}
