/**
 * @module check-user-conflict
 * Whether a user is conflicted on a case: their own name (or phone) key, or a participant an admin
 * confirmed is them, appears among the case's conflict keys. A match an admin cleared does not count.
 * case-api calls this before assigning an investigator, decision-maker or panel member.
 */
import { personKey } from "../../domain/people/person-key.ts";
import {
  selectParticipantMatches,
  type MatchStatus,
} from "../../storage/repositories/conflict.repository.ts";
import type { CaseDeps } from "../cases/case-deps.ts";
import { distinctConflictKeys, listConflictKeys, type ConflictKey } from "./list-conflict-keys.ts";

export interface UserConflict {
  conflicted: boolean;
  /** Keys that matched, with how: by the user's own name/phone or by a confirmed participant match. */
  reasons: (ConflictKey & { via: "name" | "confirmed_match" })[];
}

/**
 * The rule itself, over rows already read: `keys` the case names (any order, duplicates allowed),
 * `matches` the administrators' decisions about this user, `names` the user's own name and phone.
 * The access gate calls it with the rows of its one-query read (case-access.repository.ts).
 */
export function matchUserConflicts(
  keys: readonly ConflictKey[],
  matches: readonly { personKey: string; status: MatchStatus }[],
  names: readonly string[],
): UserConflict {
  const cleared = new Set(matches.filter((m) => m.status === "cleared").map((m) => m.personKey));
  const confirmed = new Set(matches.filter((m) => m.status === "confirmed").map((m) => m.personKey));
  const own = new Set(names.map(personKey).filter((k) => k !== "" && !cleared.has(k)));
  const reasons: UserConflict["reasons"] = [];
  for (const k of distinctConflictKeys(keys)) {
    if (confirmed.has(k.key)) reasons.push({ ...k, via: "confirmed_match" });
    else if (own.has(k.key)) reasons.push({ ...k, via: "name" });
  }
  return { conflicted: reasons.length > 0, reasons };
}

export async function checkUserConflict(
  deps: CaseDeps,
  input: { orgId: string; caseId: string; userId: string; names: readonly string[] },
): Promise<UserConflict> {
  const keys = await listConflictKeys(deps, input);
  const matches = await selectParticipantMatches(deps.db, { orgId: input.orgId, userId: input.userId });
  return matchUserConflicts(keys, matches, input.names);
}
