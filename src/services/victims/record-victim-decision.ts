/**
 * @module record-victim-decision
 * Records a step on one victims item: the identification (restricted to the victim liaison role; the
 * name never enters the ledger), the notification decision with its reason, or a referral where an
 * offence is suspected.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import {
  IDENTIFICATION_STATUSES,
  NOTIFICATION_DECISIONS,
  notificationInconsistency,
} from "../../domain/victims/victims.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import {
  findVictimItem,
  updateVictimIdentification,
  updateVictimNotification,
  updateVictimReferral,
} from "../../storage/repositories/victim.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  itemId: z.guid(),
  actor: ActorSchema,
  step: z.discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("identification"),
        status: z.enum(IDENTIFICATION_STATUSES),
        identifiedPerson: z.string().trim().min(1).max(500).optional(),
      })
      .refine((v) => (v.status === "identified") === (v.identifiedPerson !== undefined), {
        message: "a name is given exactly when the status is identified",
      }),
    z.object({
      kind: z.literal("notification"),
      decision: z.enum(NOTIFICATION_DECISIONS),
      reason: TextSchema,
    }),
    z.object({ kind: z.literal("referral"), offence: TextSchema, referredTo: TextSchema }),
  ]),
  now: NowSchema,
});
export type RecordVictimDecisionInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN (identification and notification are the victim liaison's), CONFLICT (inconsistent decision), NOT_FOUND */
export async function recordVictimDecision(deps: CaseDeps, input: RecordVictimDecisionInput): Promise<void> {
  const inp = parseInput(Schema, input);
  const step = inp.step;
  if (step.kind === "referral") {
    requireRole(
      inp.actor,
      ["victim_liaison", "investigator", "appropriate_authority"],
      "referring a suspected offence",
    );
  } else {
    requireRole(inp.actor, ["victim_liaison"], `recording the ${step.kind}`);
  }
  const now = inp.now ?? new Date();
  await deps.db.transaction(async (tx) => {
    const item = found(await findVictimItem(tx, inp.orgId, inp.itemId, true), "victims item");
    const c = found(await findCase(tx, inp.orgId, item.caseId), "case");
    let payload: Record<string, unknown>;
    if (step.kind === "identification") {
      await updateVictimIdentification(tx, {
        itemId: item.id,
        status: step.status,
        identifiedPerson: step.identifiedPerson ?? null,
      });
      payload = { status: step.status };
    } else if (step.kind === "notification") {
      const problem = notificationInconsistency(
        step.decision,
        z.enum(IDENTIFICATION_STATUSES).parse(item.identificationStatus),
      );
      if (problem) throw new AppError("CONFLICT", { userMessage: problem });
      await updateVictimNotification(tx, {
        itemId: item.id,
        decision: step.decision,
        reason: step.reason,
        by: inp.actor.userId,
        at: now,
      });
      payload = { decision: step.decision, reason: step.reason };
    } else {
      await updateVictimReferral(tx, {
        itemId: item.id,
        offence: step.offence,
        referredTo: step.referredTo,
        at: now,
      });
      payload = { offence: step.offence, referredTo: step.referredTo };
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: `victim.${step.kind}`,
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { itemId: item.id, ...payload },
      occurredAt: now,
    });
  });
}
