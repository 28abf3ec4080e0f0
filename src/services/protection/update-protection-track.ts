/**
 * @module update-protection-track
 * The protection officer records the risk assessment, the protection plan, or closes protection
 * (never automatically: it continues after the case closes until someone decides otherwise).
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import {
  closeProtection,
  findProtectionTrack,
  updateProtectionPlan,
  updateRiskAssessment,
} from "../../storage/repositories/protection.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  update: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("risk_assessment"),
      level: z.enum(["low", "medium", "high"]),
      assessment: TextSchema,
    }),
    z.object({ kind: z.literal("plan"), plan: TextSchema }),
    z.object({ kind: z.literal("close"), reason: TextSchema }),
  ]),
  now: NowSchema,
});
export type UpdateProtectionTrackInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN (not the protection officer), NOT_FOUND (no protection track), CONFLICT (already closed) */
export async function updateProtectionTrack(
  deps: CaseDeps,
  input: UpdateProtectionTrackInput,
): Promise<void> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["protection_officer"], "updating the protection track");
  const now = inp.now ?? new Date();
  await deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const track = found(await findProtectionTrack(tx, inp.orgId, inp.caseId), "protection track");
    const u = inp.update;
    let eventType: string;
    if (u.kind === "risk_assessment") {
      await updateRiskAssessment(tx, {
        trackId: track.id,
        level: u.level,
        assessment: u.assessment,
        by: inp.actor.userId,
        at: now,
      });
      eventType = "protection.risk_assessed";
    } else if (u.kind === "plan") {
      await updateProtectionPlan(tx, { trackId: track.id, plan: u.plan, by: inp.actor.userId, at: now });
      eventType = "protection.plan_recorded";
    } else {
      if (
        !(await closeProtection(tx, { trackId: track.id, by: inp.actor.userId, at: now, reason: u.reason }))
      ) {
        throw new AppError("CONFLICT", { userMessage: "protection is already closed" });
      }
      eventType = "protection.closed";
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType,
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { caseId: inp.caseId, trackId: track.id, ...u },
      occurredAt: now,
    });
  });
}
