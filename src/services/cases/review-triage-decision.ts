/**
 * @module review-triage-decision
 * The second review of a not_recorded decision, by a user other than the one who made it. Confirming
 * moves the allegation to not_recorded and puts the notice in the reporter's inbox; rejecting leaves it
 * in triage for a fresh decision.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { findAllegation } from "../../storage/repositories/allegation.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertReporterMessage } from "../../storage/repositories/message.repository.ts";
import { selectReportsForCase } from "../../storage/repositories/report.repository.ts";
import { findTriageDecision, recordTriageReview } from "../../storage/repositories/triage.repository.ts";
import { configOf, found, parseInput, requireRole, workflowOf, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "./case-schemas.ts";
import { applyAllegationTransition } from "./apply-allegation-transition.ts";

const Schema = z.object({
  orgId: z.guid(),
  decisionId: z.guid(),
  actor: ActorSchema,
  agree: z.boolean(),
  comment: TextSchema,
  now: NowSchema,
});
export type ReviewTriageDecisionInput = z.input<typeof Schema>;

/**
 * @throws AppError CONFLICT (reviewer is the decider; decision not awaiting review), FORBIDDEN, NOT_FOUND
 */
export async function reviewTriageDecision(
  deps: CaseDeps,
  input: ReviewTriageDecisionInput,
): Promise<{ state: string; noticeMessageIds: string[] }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["intake_officer", "appropriate_authority"], "reviewing a triage decision");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const d = found(await findTriageDecision(tx, inp.orgId, inp.decisionId, true), "triage decision");
    if (d.status !== "awaiting_review") {
      throw new AppError("CONFLICT", { userMessage: `the decision is ${d.status}, not awaiting review` });
    }
    if (d.decidedBy === inp.actor.userId) {
      throw new AppError("CONFLICT", {
        userMessage:
          "a not_recorded decision needs a second reviewer: a different user from the one who made it",
      });
    }
    const a = found(await findAllegation(tx, inp.orgId, d.allegationId, true), "allegation");
    await recordTriageReview(tx, {
      decisionId: d.id,
      status: inp.agree ? "confirmed" : "rejected",
      reviewedBy: inp.actor.userId,
      at: now,
      comment: inp.comment,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "triage.reviewed",
      caseRef: a.caseReference,
      actor: inp.actor.userId,
      payload: { allegationId: a.id, decisionId: d.id, agree: inp.agree, comment: inp.comment },
      occurredAt: now,
    });
    if (!inp.agree) return { state: a.state, noticeMessageIds: [] };
    const moved = await applyAllegationTransition(tx, configOf(deps), workflowOf(deps, a.workflowId), {
      allegation: a,
      to: "not_recorded",
      actor: inp.actor,
      evidence: { triageDecision: "not_recorded", triageReviewed: true },
      reason: d.rationale,
      details: { decisionId: d.id, decidedBy: d.decidedBy, reviewedBy: inp.actor.userId },
      now,
    });
    const noticeMessageIds: string[] = [];
    for (const r of await selectReportsForCase(tx, inp.orgId, a.caseId)) {
      const m = await insertReporterMessage(tx, {
        orgId: inp.orgId,
        caseId: a.caseId,
        reportId: r.id,
        direction: "to_reporter",
        kind: "notice",
        body: d.noticeToReporter ?? d.rationale,
        authorUserId: inp.actor.userId,
        sentAt: now,
      });
      noticeMessageIds.push(m.id);
      await appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "message.sent",
        caseRef: a.caseReference,
        actor: inp.actor.userId,
        payload: {
          messageId: m.id,
          reportId: r.id,
          direction: "to_reporter",
          kind: "notice",
          decisionId: d.id,
        },
        occurredAt: now,
      });
    }
    return { state: moved.to, noticeMessageIds };
  });
}
