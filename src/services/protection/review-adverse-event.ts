/**
 * @module review-adverse-event
 * The independent review of a flagged adverse event: by someone who neither recorded it nor is a
 * subject of the case (by name or by a confirmed chat-participant match), with a justification and a
 * decision.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { personKey } from "../../domain/people/person-key.ts";
import { REVIEW_DECISIONS, reviewerIneligibility } from "../../domain/protection/retaliation.ts";
import { selectSubjects } from "../../storage/repositories/allegation.repository.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { selectParticipantMatches } from "../../storage/repositories/conflict.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import {
  findAdverseEvent,
  recordAdverseEventReview,
} from "../../storage/repositories/protection.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  eventId: z.guid(),
  actor: ActorSchema,
  /** The reviewer's own name, matched against the subjects. */
  reviewerName: z.string().trim().min(1).max(300),
  decision: z.enum(REVIEW_DECISIONS),
  justification: TextSchema,
  now: NowSchema,
});
export type ReviewAdverseEventInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN (role, or not independent), CONFLICT (not awaiting review), NOT_FOUND */
export async function reviewAdverseEvent(deps: CaseDeps, input: ReviewAdverseEventInput): Promise<void> {
  const inp = parseInput(Schema, input);
  requireRole(
    inp.actor,
    ["protection_officer", "appropriate_authority", "oversight"],
    "reviewing an adverse event",
  );
  const now = inp.now ?? new Date();
  await deps.db
    .transaction(async (tx) => {
      const e = found(await findAdverseEvent(tx, inp.orgId, inp.eventId, true), "adverse event");
      if (e.reviewStatus !== "awaiting_review") {
        throw new AppError("CONFLICT", { userMessage: `the event is ${e.reviewStatus.replace("_", " ")}` });
      }
      const c = found(await findCase(tx, inp.orgId, e.caseId), "case");
      const subjects = await selectSubjects(tx, inp.orgId, e.caseId);
      const matches = await selectParticipantMatches(tx, { orgId: inp.orgId, userId: inp.actor.userId });
      const personKeys = [
        personKey(inp.reviewerName),
        ...matches.filter((m) => m.status === "confirmed").map((m) => m.personKey),
      ];
      const why = reviewerIneligibility(
        { userId: inp.actor.userId, personKeys },
        e,
        subjects.map((s) => s.nameKey),
      );
      if (why) {
        await appendLedgerEvent(tx, {
          orgId: inp.orgId,
          eventType: "access.refused",
          caseRef: c.reference,
          actor: inp.actor.userId,
          payload: { resource: "adverse_event_review", eventId: e.id, reason: why },
          occurredAt: now,
        });
        // The refusal is recorded (the transaction commits); the caller still gets an error.
        return why;
      }
      await recordAdverseEventReview(tx, {
        eventId: e.id,
        reviewedBy: inp.actor.userId,
        justification: inp.justification,
        decision: inp.decision,
        at: now,
      });
      await appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "adverse_event.reviewed",
        caseRef: c.reference,
        actor: inp.actor.userId,
        payload: { eventId: e.id, decision: inp.decision, justification: inp.justification },
        occurredAt: now,
      });
      return null;
    })
    .then((why) => {
      if (why) throw new AppError("FORBIDDEN", { userMessage: `an independent reviewer is needed: ${why}` });
    });
}
