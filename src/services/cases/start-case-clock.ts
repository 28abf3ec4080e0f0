/**
 * @module start-case-clock
 * Starts a statutory clock inside the caller's transaction (a step of other use cases, not one itself).
 */
import { clockDeadline, type ClockKind, type ClockPeriod } from "../../domain/workflow/clocks.ts";
import type { CaseConfig } from "../../domain/workflow/case-config.ts";
import type { Queryable } from "../../storage/db.ts";
import { insertClock, selectOpenClocks } from "../../storage/repositories/clock.repository.ts";

/**
 * Starts `kind` from `startedAt` unless one of that kind is already running for the same case and
 * allegation (re-entering a state does not restart its clock). Returns the new clock's id, if any.
 */
export async function startCaseClock(
  tx: Queryable,
  cfg: CaseConfig,
  c: {
    orgId: string;
    caseId: string;
    allegationId: string | null;
    kind: ClockKind;
    startedAt: Date;
    /** When the period counts from (default: startedAt). */
    from?: Date;
    /** Overrides the rule's period (a repeating clock's next period). */
    period?: ClockPeriod;
    /** The case was created in this transaction, so it has no clocks to look for. */
    caseIsNew?: boolean;
  },
): Promise<string | undefined> {
  if (!c.caseIsNew) {
    const open = await selectOpenClocks(tx, { orgId: c.orgId, caseId: c.caseId, kind: c.kind });
    if (open.some((k) => k.allegationId === c.allegationId)) return undefined;
  }
  const rule = cfg.clockRules[c.kind];
  const dueAt = clockDeadline(c.period ?? rule.period, c.from ?? c.startedAt, cfg.calendar);
  return insertClock(tx, {
    orgId: c.orgId,
    caseId: c.caseId,
    allegationId: c.allegationId,
    kind: c.kind,
    startedAt: c.startedAt,
    dueAt,
  });
}
