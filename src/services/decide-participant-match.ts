/**
 * @module decide-participant-match
 * An administrator confirms that a person named in evidence is a given user (so they are excluded from
 * cases naming that person) or clears a namesake match. Ledgered as conflict.decided.
 */
import { AppError } from "../contract/errors.ts";
import { personKey } from "../domain/people/person-key.ts";
import type { Db } from "../storage/db.ts";
import { upsertParticipantDecision } from "../storage/repositories/case-access.repository.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { findUserById } from "../storage/repositories/user.repository.ts";

/** @throws AppError NOT_FOUND for an unknown user, INVALID_INPUT for a key that normalises to nothing */
export async function decideParticipantMatch(
  deps: { db: Db; clock: () => Date },
  input: {
    orgId: string;
    userId: string;
    personKey: string;
    decision: "confirmed" | "cleared";
    reason: string;
    actor: string;
  },
): Promise<void> {
  const key = personKey(input.personKey);
  if (!key) {
    throw new AppError("INVALID_INPUT", { userMessage: "personKey: nothing left after normalisation" });
  }
  if (!(await findUserById(deps.db, input.orgId, input.userId))) {
    throw new AppError("NOT_FOUND", { userMessage: "no such user" });
  }
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await upsertParticipantDecision(tx, {
      orgId: input.orgId,
      userId: input.userId,
      personKey: key,
      status: input.decision,
      decidedBy: input.actor,
      at: now,
      reason: input.reason,
    });
    await appendLedgerEvent(tx, {
      orgId: input.orgId,
      eventType: "conflict.decided",
      actor: input.actor,
      payload: { userId: input.userId, personKey: key, decision: input.decision, reason: input.reason },
      occurredAt: now,
    });
  });
}
