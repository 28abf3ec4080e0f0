/**
 * @module meet-clock
 * Records that what a clock asked for was done (a progress report written, the subject's response
 * received...). A repeating clock starts its next period from the old due day; meeting the subject's
 * response starts the witness-list and pre-hearing clocks.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { CLOCK_KINDS, CLOCKS_ON_MET, type ClockKind } from "../../domain/workflow/clocks.ts";
import { findAllegation } from "../../storage/repositories/allegation.repository.ts";
import { findClock, markClockMet } from "../../storage/repositories/clock.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { configOf, found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";
import { startCaseClock } from "./start-case-clock.ts";

const Schema = z.object({
  orgId: z.guid(),
  clockId: z.guid(),
  actor: ActorSchema,
  note: z.string().trim().max(5000).optional(),
  now: NowSchema,
});
export type MeetClockInput = z.input<typeof Schema>;

const isKind = (k: string): k is ClockKind => (CLOCK_KINDS as readonly string[]).includes(k);

/** @throws AppError NOT_FOUND, CONFLICT (already met or stopped), FORBIDDEN */
export async function meetClock(deps: CaseDeps, input: MeetClockInput): Promise<{ clocksStarted: string[] }> {
  const inp = parseInput(Schema, input);
  requireRole(
    inp.actor,
    ["intake_officer", "investigator", "appropriate_authority", "protection_officer"],
    "meeting a clock",
  );
  const cfg = configOf(deps);
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const k = found(await findClock(tx, inp.orgId, inp.clockId), "clock");
    if (!(await markClockMet(tx, k.id, now))) {
      throw new AppError("CONFLICT", { userMessage: "the clock is already met or stopped" });
    }
    const clocksStarted: string[] = [];
    if (isKind(k.kind)) {
      const rule = cfg.clockRules[k.kind];
      const base = { orgId: k.orgId, caseId: k.caseId, allegationId: k.allegationId, startedAt: now };
      const a = k.allegationId ? await findAllegation(tx, inp.orgId, k.allegationId) : undefined;
      const stillActive = !rule.activeStates || (a !== undefined && rule.activeStates.includes(a.state));
      if (rule.repeat && stillActive) {
        const id = await startCaseClock(tx, cfg, {
          ...base,
          kind: k.kind,
          // The deadline is the instant the due day ends; count from the due day itself.
          from: new Date(k.dueAt.getTime() - 1),
          period: rule.repeat,
        });
        if (id) clocksStarted.push(id);
      }
      for (const next of CLOCKS_ON_MET[k.kind] ?? []) {
        const id = await startCaseClock(tx, cfg, { ...base, kind: next });
        if (id) clocksStarted.push(id);
      }
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "clock.met",
      caseRef: k.caseReference,
      actor: inp.actor.userId,
      payload: {
        clockId: k.id,
        kind: k.kind,
        dueAt: k.dueAt.toISOString(),
        note: inp.note ?? null,
        clocksStarted,
      },
      occurredAt: now,
    });
    return { clocksStarted };
  });
}
