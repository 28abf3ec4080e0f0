/**
 * @module record-referral-check
 * Answers every mandatory referral category for an allegation, stores the answers, and moves it to
 * `referred` (any yes) or `severity_assessment` (all no).
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { evaluateReferralCheck } from "../../domain/workflow/referral-categories.ts";
import { findAllegation } from "../../storage/repositories/allegation.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertReferralCheck } from "../../storage/repositories/triage.repository.ts";
import { configOf, found, parseInput, workflowOf, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";
import { applyAllegationTransition } from "./apply-allegation-transition.ts";

const Schema = z.object({
  orgId: z.guid(),
  allegationId: z.guid(),
  actor: ActorSchema,
  answers: z.array(
    z.object({
      category: z.string().min(1),
      answer: z.boolean(),
      note: z.string().trim().max(5000).optional(),
    }),
  ),
  now: NowSchema,
});
export type RecordReferralCheckInput = z.input<typeof Schema>;

/**
 * @throws AppError INVALID_INPUT (a category missing, repeated or unknown), CONFLICT (wrong state), FORBIDDEN
 */
export async function recordReferralCheck(
  deps: CaseDeps,
  input: RecordReferralCheckInput,
): Promise<{ checkId: string; referralRequired: boolean; state: string }> {
  const inp = parseInput(Schema, input);
  const cfg = configOf(deps);
  const ev = evaluateReferralCheck(inp.answers, cfg.referralCategories);
  if (!ev.ok) {
    throw new AppError("INVALID_INPUT", { userMessage: `referral check: ${ev.problems.join("; ")}` });
  }
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const a = found(await findAllegation(tx, inp.orgId, inp.allegationId, true), "allegation");
    const to = ev.referralRequired ? "referred" : "severity_assessment";
    const checkId = await insertReferralCheck(tx, {
      orgId: inp.orgId,
      allegationId: a.id,
      answers: inp.answers,
      referralRequired: ev.referralRequired,
      checkedBy: inp.actor.userId,
      at: now,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "referral.checked",
      caseRef: a.caseReference,
      actor: inp.actor.userId,
      payload: { allegationId: a.id, checkId, answers: inp.answers, referralRequired: ev.referralRequired },
      occurredAt: now,
    });
    const moved = await applyAllegationTransition(tx, cfg, workflowOf(deps, a.workflowId), {
      allegation: a,
      to,
      actor: inp.actor,
      evidence: { referralRequired: ev.referralRequired },
      details: { checkId, yes: ev.yes },
      now,
    });
    return { checkId, referralRequired: ev.referralRequired, state: moved.to };
  });
}
