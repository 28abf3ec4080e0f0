/**
 * @module unassign-from-case
 * Removes a user's role on a case (case.unassigned in the ledger).
 */
import { z } from "zod";
import { CASE_ROLES } from "../../domain/workflow/roles.ts";
import { deleteAssignment, findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  userId: z.guid(),
  role: z.enum(CASE_ROLES),
  actor: ActorSchema,
  reason: z.string().trim().min(1).max(2000),
  now: NowSchema,
});
export type UnassignFromCaseInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN unless the actor is an appropriate authority or admin */
export async function unassignFromCase(
  deps: CaseDeps,
  input: UnassignFromCaseInput,
): Promise<{ removed: boolean }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["appropriate_authority", "admin"], "removing people from a case");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const removed = await deleteAssignment(tx, inp);
    if (removed) {
      await appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "case.unassigned",
        caseRef: c.reference,
        actor: inp.actor.userId,
        payload: { caseId: inp.caseId, userId: inp.userId, role: inp.role, reason: inp.reason },
        occurredAt: now,
      });
    }
    return { removed };
  });
}
