/**
 * @module assign-to-case
 * Gives a user a role on a case (case.assigned in the ledger). Conflict checks are case-api's, using
 * `checkUserConflict` before calling this.
 */
import { z } from "zod";
import { CASE_ROLES } from "../../domain/workflow/roles.ts";
import { findCase, insertAssignment } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  userId: z.guid(),
  role: z.enum(CASE_ROLES),
  actor: ActorSchema,
  now: NowSchema,
});
export type AssignToCaseInput = z.input<typeof Schema>;

/**
 * Assigns; a repeated assignment is a no-op (`created: false`, no ledger entry).
 * @throws AppError FORBIDDEN unless the actor is an appropriate authority or admin
 */
export async function assignToCase(deps: CaseDeps, input: AssignToCaseInput): Promise<{ created: boolean }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["appropriate_authority", "admin"], "assigning people to a case");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const created = await insertAssignment(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      userId: inp.userId,
      role: inp.role,
      assignedBy: inp.actor.userId,
      at: now,
    });
    if (created) {
      await appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "case.assigned",
        caseRef: c.reference,
        actor: inp.actor.userId,
        payload: { caseId: inp.caseId, userId: inp.userId, role: inp.role },
        occurredAt: now,
      });
    }
    return { created };
  });
}
