/**
 * @module list-adverse-events
 * The retaliation watch of a case, for the protection officer and the appropriate authority.
 */
import {
  selectAdverseEvents,
  type AdverseEventRow,
} from "../../storage/repositories/protection.repository.ts";
import type { Actor } from "../../domain/workflow/roles.ts";
import { requireRole, type CaseDeps } from "../cases/case-deps.ts";

/** @throws AppError FORBIDDEN */
export async function listAdverseEvents(
  deps: CaseDeps,
  input: { orgId: string; caseId: string; actor: Actor },
): Promise<AdverseEventRow[]> {
  requireRole(
    input.actor,
    ["protection_officer", "appropriate_authority", "oversight"],
    "reading the retaliation watch",
  );
  return await selectAdverseEvents(deps.db, input.orgId, input.caseId);
}
