/**
 * @module transition-allegation
 * Moves an allegation one step along its workflow. Moves guarded by triage or referral decisions are
 * made by `decideTriage`, `reviewTriageDecision` and `recordReferralCheck`; this use case refuses them.
 */
import { z } from "zod";
import { INVESTIGATION_MODES, LIST_KINDS, OUTCOMES, SEVERITIES } from "../../domain/workflow/decisions.ts";
import { findAllegation } from "../../storage/repositories/allegation.repository.ts";
import { configOf, found, parseInput, workflowOf, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";
import { applyAllegationTransition, type AppliedTransition } from "./apply-allegation-transition.ts";

const Schema = z.object({
  orgId: z.guid(),
  allegationId: z.guid(),
  to: z.string().min(1),
  actor: ActorSchema,
  reason: z.string().trim().max(10_000).optional(),
  /** Facts some moves need: severity (to investigation), investigationMode (oversight directing), outcome, listKind. */
  severity: z.enum(SEVERITIES).optional(),
  investigationMode: z.enum(INVESTIGATION_MODES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  listKind: z.enum(LIST_KINDS).optional(),
  now: NowSchema,
});
export type TransitionAllegationInput = z.input<typeof Schema>;

/**
 * @throws AppError NOT_FOUND, FORBIDDEN (role), CONFLICT (illegal move: the message names the state and the allowed moves)
 */
export async function transitionAllegation(
  deps: CaseDeps,
  input: TransitionAllegationInput,
): Promise<AppliedTransition> {
  const inp = parseInput(Schema, input);
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const a = found(await findAllegation(tx, inp.orgId, inp.allegationId, true), "allegation");
    const details: Record<string, unknown> = {};
    for (const k of ["severity", "investigationMode", "outcome", "listKind"] as const) {
      if (inp[k] !== undefined) details[k] = inp[k];
    }
    return applyAllegationTransition(tx, configOf(deps), workflowOf(deps, a.workflowId), {
      allegation: a,
      to: inp.to,
      actor: inp.actor,
      evidence: {
        severity: inp.severity,
        investigationMode: inp.investigationMode,
        outcome: inp.outcome,
        listKind: inp.listKind,
      },
      reason: inp.reason,
      details,
      now,
    });
  });
}
