/**
 * @module list-victim-items
 * The victims worklist of a case. Who a person was identified as is shown to the victim liaison only;
 * everyone else on the track sees that an identification exists.
 */
import { hasAnyRole, type Actor } from "../../domain/workflow/roles.ts";
import { selectVictimItems, type VictimItemRow } from "../../storage/repositories/victim.repository.ts";
import { requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { VICTIM_TRACK_ROLES } from "./catalogue-victim-item.ts";

export type VictimItemView = Omit<VictimItemRow, "identifiedPerson"> & {
  /** The name for the victim liaison; the string "restricted" for everyone else; null before identification. */
  identifiedPerson: string | null;
};

/** @throws AppError FORBIDDEN */
export async function listVictimItems(
  deps: CaseDeps,
  input: { orgId: string; caseId: string; actor: Actor },
): Promise<VictimItemView[]> {
  requireRole(input.actor, VICTIM_TRACK_ROLES, "reading the victims worklist");
  const mayIdentify = hasAnyRole(input.actor, ["victim_liaison"]);
  const rows = await selectVictimItems(deps.db, input.orgId, input.caseId);
  return rows.map((r) => ({
    ...r,
    identifiedPerson: r.identifiedPerson === null ? null : mayIdentify ? r.identifiedPerson : "restricted",
  }));
}
