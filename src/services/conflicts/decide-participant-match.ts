/**
 * @module decide-participant-match
 * An admin confirms that a user is a given chat participant or person (so conflict checks exclude them),
 * or clears a suspected match (e.g. two different people with the same name).
 */
import { z } from "zod";
import { personKey } from "../../domain/people/person-key.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { upsertParticipantMatch } from "../../storage/repositories/conflict.repository.ts";
import { parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema } from "../cases/case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  actor: ActorSchema,
  userId: z.guid(),
  /** A participant's author_key, or a name/phone to normalise. */
  person: z.string().trim().min(1).max(300),
  status: z.enum(["confirmed", "cleared"]),
  reason: z.string().trim().max(2000).optional(),
  now: NowSchema,
});
export type DecideParticipantMatchInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN unless the actor is an admin */
export async function decideParticipantMatch(
  deps: CaseDeps,
  input: DecideParticipantMatchInput,
): Promise<{ personKey: string }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["admin"], "confirming or clearing a participant match");
  const key = personKey(inp.person);
  const now = inp.now ?? new Date();
  await deps.db.transaction(async (tx) => {
    await upsertParticipantMatch(tx, {
      orgId: inp.orgId,
      userId: inp.userId,
      personKey: key,
      status: inp.status,
      decidedBy: inp.actor.userId,
      at: now,
      reason: inp.reason ?? null,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "conflict.match_decided",
      caseRef: null,
      actor: inp.actor.userId,
      payload: { userId: inp.userId, personKey: key, status: inp.status, reason: inp.reason ?? null },
      occurredAt: now,
    });
  });
  return { personKey: key };
}
