/**
 * @module list-conflict-keys
 * Everyone a case's evidence or subjects make unsuitable to investigate, decide or sit on it
 * (DOMAIN.md section 3, investigator conflicts): the participants of its chat evidence and its subjects'
 * management chains (and the subjects themselves), as normalised name/phone keys.
 */
import { findCase } from "../../storage/repositories/case.repository.ts";
import {
  selectConflictKeyRows,
  type ConflictKeyRow,
} from "../../storage/repositories/conflict.repository.ts";
import { found, type CaseDeps } from "../cases/case-deps.ts";

export type ConflictKey = ConflictKeyRow;

/** One entry per key and source (the first display name read wins); empty keys dropped. */
export function distinctConflictKeys(rows: readonly ConflictKey[]): ConflictKey[] {
  const out = new Map<string, ConflictKey>();
  for (const k of rows) {
    if (k.key !== "" && !out.has(`${k.source}:${k.key}`)) out.set(`${k.source}:${k.key}`, k);
  }
  return [...out.values()];
}

/** The conflict keys of a case, one entry per key and source. @throws AppError NOT_FOUND */
export async function listConflictKeys(
  deps: CaseDeps,
  input: { orgId: string; caseId: string },
): Promise<ConflictKey[]> {
  found(await findCase(deps.db, input.orgId, input.caseId), "case");
  return distinctConflictKeys(await selectConflictKeyRows(deps.db, input.orgId, input.caseId));
}
