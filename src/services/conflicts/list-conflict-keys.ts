/**
 * @module list-conflict-keys
 * Everyone a case's evidence or subjects make unsuitable to investigate, decide or sit on it
 * (DOMAIN.md section 3, investigator conflicts): the participants of its chat evidence and its subjects'
 * management chains (and the subjects themselves), as normalised name/phone keys.
 */
import { selectManagersForCase, selectSubjects } from "../../storage/repositories/allegation.repository.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { selectCaseParticipants } from "../../storage/repositories/conflict.repository.ts";
import { found, type CaseDeps } from "../cases/case-deps.ts";

export interface ConflictKey {
  key: string;
  displayName: string;
  source: "chat_participant" | "management_chain" | "subject";
}

/** The conflict keys of a case, one entry per key and source. */
export async function listConflictKeys(
  deps: CaseDeps,
  input: { orgId: string; caseId: string },
): Promise<ConflictKey[]> {
  const c = found(await findCase(deps.db, input.orgId, input.caseId), "case");
  const out = new Map<string, ConflictKey>();
  const add = (k: ConflictKey): void => {
    if (k.key !== "" && !out.has(`${k.source}:${k.key}`)) out.set(`${k.source}:${k.key}`, k);
  };
  for (const p of await selectCaseParticipants(deps.db, input.orgId, c.reference)) {
    add({ key: p.personKey, displayName: p.displayName, source: "chat_participant" });
  }
  for (const m of await selectManagersForCase(deps.db, input.orgId, input.caseId)) {
    add({ key: m.nameKey, displayName: m.displayName, source: "management_chain" });
  }
  for (const s of await selectSubjects(deps.db, input.orgId, input.caseId)) {
    add({ key: s.nameKey, displayName: s.displayName, source: "subject" });
  }
  return [...out.values()];
}
