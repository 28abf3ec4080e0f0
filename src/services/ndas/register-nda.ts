/**
 * @module register-nda
 * Logs a non-disclosure agreement (parties, date, clause) in the register, optionally tied to a case.
 */
import { z } from "zod";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertNda } from "../../storage/repositories/nda.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

export const NDA_ROLES = ["appropriate_authority", "protection_officer", "admin"] as const;

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid().optional(),
  actor: ActorSchema,
  parties: z.array(z.string().trim().min(1).max(300)).min(2).max(50),
  agreementDate: z.iso.date(),
  clauseText: TextSchema,
  now: NowSchema,
});
export type RegisterNdaInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN, NOT_FOUND (case), INVALID_INPUT */
export async function registerNda(deps: CaseDeps, input: RegisterNdaInput): Promise<{ ndaId: string }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, NDA_ROLES, "registering an NDA");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = inp.caseId ? found(await findCase(tx, inp.orgId, inp.caseId), "case") : undefined;
    const n = await insertNda(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId ?? null,
      parties: inp.parties,
      agreementDate: inp.agreementDate,
      clauseText: inp.clauseText,
      by: inp.actor.userId,
      at: now,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "nda.registered",
      caseRef: c?.reference ?? null,
      actor: inp.actor.userId,
      payload: { ndaId: n.id, agreementDate: inp.agreementDate, parties: inp.parties.length },
      occurredAt: now,
    });
    return { ndaId: n.id };
  });
}
