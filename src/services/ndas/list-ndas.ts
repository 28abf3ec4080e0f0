/**
 * @module list-ndas
 * The NDA register, whole or for one case.
 */
import type { Actor } from "../../domain/workflow/roles.ts";
import { selectNdas, type NdaRow } from "../../storage/repositories/nda.repository.ts";
import { requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { NDA_ROLES } from "./register-nda.ts";

/** @throws AppError FORBIDDEN */
export async function listNdas(
  deps: CaseDeps,
  input: { orgId: string; caseId?: string; actor: Actor },
): Promise<NdaRow[]> {
  requireRole(input.actor, NDA_ROLES, "reading the NDA register");
  return await selectNdas(deps.db, input.orgId, input.caseId);
}
