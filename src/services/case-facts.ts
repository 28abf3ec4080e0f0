/**
 * @module case-facts
 * The CaseFacts port over the database: case state for the role-wide rules, assignments, and conflict
 * matching. A user conflicts with a case when one of their keys (normalised display name, phone, or a key
 * an administrator confirmed as theirs) equals the key of someone the case names: a chat participant in
 * its evidence, a subject, or someone in a subject's management chain. Keys an administrator cleared for
 * the user are ignored.
 */
import { personKey } from "../domain/people/person-key.ts";
import type { Db } from "../storage/db.ts";
import {
  selectCaseAccessFacts,
  selectIsAssigned,
  selectParticipantDecisions,
  selectPeopleNamedByCase,
} from "../storage/repositories/case-access.repository.ts";
import type { CaseFacts, ConflictMatch } from "./authorize.ts";

export function dbCaseFacts(db: Db): CaseFacts {
  return {
    caseState: (orgId, caseId) => selectCaseAccessFacts(db, orgId, caseId),
    isAssigned: (orgId, caseId, userId) => selectIsAssigned(db, orgId, caseId, userId),
    async conflicts(user, caseId): Promise<ConflictMatch[]> {
      const decisions = await selectParticipantDecisions(db, user.orgId, user.userId);
      const cleared = new Set(
        decisions.filter((d) => d.status === "cleared").map((d) => personKey(d.personKey)),
      );
      const mine = new Set(
        [
          user.displayName,
          user.phone ?? "",
          ...decisions.filter((d) => d.status === "confirmed").map((d) => d.personKey),
        ]
          .map(personKey)
          .filter((k) => k !== "" && !cleared.has(k)),
      );
      if (mine.size === 0) {
        return [];
      }
      const named = await selectPeopleNamedByCase(db, user.orgId, caseId);
      const seen = new Set<string>();
      const out: ConflictMatch[] = [];
      for (const p of named) {
        const k = personKey(p.raw);
        if (!mine.has(k) || seen.has(`${p.source}:${k}`)) {
          continue;
        }
        seen.add(`${p.source}:${k}`);
        out.push({ source: p.source, personKey: k, label: p.label });
      }
      return out;
    },
  };
}
