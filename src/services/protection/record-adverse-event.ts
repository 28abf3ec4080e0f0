/**
 * @module record-adverse-event
 * HR or intake record something that happened to the reporter (a posting, an appraisal, a withdrawn
 * offer...). It is flagged for independent review when it follows the disclosure while protection is open.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { ADVERSE_EVENT_KINDS, flagAdverseEvent } from "../../domain/protection/retaliation.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { findProtectionTrack, insertAdverseEvent } from "../../storage/repositories/protection.repository.ts";
import { found, parseInput, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  /** HR may hold no case role: the recorder states the function they record for. */
  recorderFunction: z.enum(["hr", "intake"]),
  kind: z.enum(ADVERSE_EVENT_KINDS),
  description: TextSchema,
  occurredAt: z.date(),
  now: NowSchema,
});
export type RecordAdverseEventInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN (a reporter-only actor), NOT_FOUND */
export async function recordAdverseEvent(
  deps: CaseDeps,
  input: RecordAdverseEventInput,
): Promise<{ eventId: string; flagged: boolean; reason: string | null }> {
  const inp = parseInput(Schema, input);
  if (inp.actor.roles.length > 0 && inp.actor.roles.every((r) => r === "reporter")) {
    throw new AppError("FORBIDDEN", { userMessage: "adverse events are recorded by HR or intake" });
  }
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const track = await findProtectionTrack(tx, inp.orgId, inp.caseId);
    const flag = flagAdverseEvent(inp.occurredAt, track);
    const e = await insertAdverseEvent(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      kind: inp.kind,
      description: inp.description,
      occurredAt: inp.occurredAt,
      recordedBy: inp.actor.userId,
      recorderFunction: inp.recorderFunction,
      recordedAt: now,
      flagged: flag.flagged,
      flagReason: flag.reason,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "adverse_event.recorded",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: {
        caseId: inp.caseId,
        eventId: e.id,
        kind: inp.kind,
        occurredAt: inp.occurredAt.toISOString(),
        flagged: flag.flagged,
        flagReason: flag.reason,
      },
      occurredAt: now,
    });
    return { eventId: e.id, flagged: flag.flagged, reason: flag.reason };
  });
}
