/**
 * @module decide-triage
 * Ends triage with a typed decision and a rationale. A recording decision moves the allegation on at
 * once; not_recorded waits for a second, different reviewer (`reviewTriageDecision`), who confirms it and
 * so sends the notice to the reporter.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { TRIAGE_DECISIONS } from "../../domain/workflow/decisions.ts";
import { findAllegation } from "../../storage/repositories/allegation.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import {
  findPendingTriageDecision,
  insertTriageDecision,
} from "../../storage/repositories/triage.repository.ts";
import { checkTransition } from "../../domain/workflow/transitions.ts";
import { configOf, found, parseInput, workflowOf, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "./case-schemas.ts";
import { applyAllegationTransition } from "./apply-allegation-transition.ts";

const Schema = z
  .object({
    orgId: z.guid(),
    allegationId: z.guid(),
    actor: ActorSchema,
    decision: z.enum(TRIAGE_DECISIONS),
    rationale: TextSchema,
    /** Required for not_recorded: the text the reporter receives once the decision is confirmed. */
    noticeToReporter: TextSchema.optional(),
    now: NowSchema,
  })
  .refine((v) => v.decision !== "not_recorded" || v.noticeToReporter !== undefined, {
    path: ["noticeToReporter"],
    message: "a not_recorded decision needs a notice to the reporter",
  });
export type DecideTriageInput = z.input<typeof Schema>;

export interface TriageOutcome {
  decisionId: string;
  status: "final" | "awaiting_review";
  state: string;
}

/**
 * @throws AppError CONFLICT (not in triage; a not_recorded decision already awaits review), FORBIDDEN, INVALID_INPUT
 */
export async function decideTriage(deps: CaseDeps, input: DecideTriageInput): Promise<TriageOutcome> {
  const inp = parseInput(Schema, input);
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const a = found(await findAllegation(tx, inp.orgId, inp.allegationId, true), "allegation");
    const wf = workflowOf(deps, a.workflowId);
    const to = inp.decision === "not_recorded" ? "not_recorded" : "recorded";
    // Check the move (state and role) now, without the review guard, so a wrong decision fails early.
    const pre = checkTransition(wf, a.state, to, inp.actor, {
      triageDecision: inp.decision,
      triageReviewed: true,
    });
    if (!pre.ok) throw new AppError(pre.code, { userMessage: `Allegation ${a.id}: ${pre.message}` });
    if (await findPendingTriageDecision(tx, inp.orgId, a.id)) {
      throw new AppError("CONFLICT", {
        userMessage: "a not_recorded decision on this allegation is awaiting review",
      });
    }
    const pending = inp.decision === "not_recorded";
    const d = await insertTriageDecision(tx, {
      orgId: inp.orgId,
      allegationId: a.id,
      decision: inp.decision,
      rationale: inp.rationale,
      decidedBy: inp.actor.userId,
      at: now,
      status: pending ? "awaiting_review" : "final",
      noticeToReporter: inp.noticeToReporter ?? null,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "triage.decided",
      caseRef: a.caseReference,
      actor: inp.actor.userId,
      payload: {
        allegationId: a.id,
        decisionId: d.id,
        decision: inp.decision,
        rationale: inp.rationale,
        status: d.status,
      },
      occurredAt: now,
    });
    if (pending) return { decisionId: d.id, status: "awaiting_review", state: a.state };
    const moved = await applyAllegationTransition(tx, configOf(deps), wf, {
      allegation: a,
      to,
      actor: inp.actor,
      evidence: { triageDecision: inp.decision },
      reason: inp.rationale,
      details: { decisionId: d.id, decision: inp.decision },
      now,
    });
    return { decisionId: d.id, status: "final", state: moved.to };
  });
}
