/**
 * @module update-nda
 * Moves an NDA through assessment and release: the assessment with its reason (void for a protected
 * disclosure; void for a victim of crime, for agreements from the rule's commencement; restricted;
 * valid), then the release letter, then the signatory's acknowledgement.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { NDA_ASSESSMENTS, ndaAssessmentProblem } from "../../domain/victims/victims.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { findNda, updateNdaAssessment, updateNdaRelease } from "../../storage/repositories/nda.repository.ts";
import { configOf, found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";
import { NDA_ROLES } from "./register-nda.ts";

const Schema = z.object({
  orgId: z.guid(),
  ndaId: z.guid(),
  actor: ActorSchema,
  step: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("assessment"), assessment: z.enum(NDA_ASSESSMENTS), reason: TextSchema }),
    z.object({ kind: z.literal("release_letter_sent") }),
    z.object({ kind: z.literal("acknowledged") }),
  ]),
  now: NowSchema,
});
export type UpdateNdaInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN, NOT_FOUND, CONFLICT (steps out of order, an assessment the date rules out) */
export async function updateNda(deps: CaseDeps, input: UpdateNdaInput): Promise<void> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, NDA_ROLES, "updating an NDA");
  const now = inp.now ?? new Date();
  const step = inp.step;
  await deps.db.transaction(async (tx) => {
    const n = found(await findNda(tx, inp.orgId, inp.ndaId, true), "NDA");
    const conflict = (userMessage: string): never => {
      throw new AppError("CONFLICT", { userMessage });
    };
    if (step.kind === "assessment") {
      const problem = ndaAssessmentProblem(
        step.assessment,
        n.agreementDate,
        configOf(deps).victimNdaRuleFrom,
      );
      if (problem) conflict(problem);
      await updateNdaAssessment(tx, {
        ndaId: n.id,
        assessment: step.assessment,
        reason: step.reason,
        by: inp.actor.userId,
        at: now,
      });
    } else if (step.kind === "release_letter_sent") {
      if (n.assessment === null || n.assessment === "valid") {
        conflict("a release letter follows an assessment that the clause is void or restricted");
      }
      await updateNdaRelease(tx, { ndaId: n.id, step: "letter_sent", at: now });
    } else {
      if (n.releaseLetterSentAt === null) conflict("the release letter has not been sent");
      await updateNdaRelease(tx, { ndaId: n.id, step: "acknowledged", at: now });
    }
    const c = n.caseId ? await findCase(tx, inp.orgId, n.caseId) : undefined;
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: `nda.${step.kind}`,
      caseRef: c?.reference ?? null,
      actor: inp.actor.userId,
      payload: { ndaId: n.id, ...step },
      occurredAt: now,
    });
  });
}
