/**
 * @module apply-allegation-transition
 * One move of an allegation, inside the caller's transaction: checks it against the workflow, stores the
 * new state and its history row, appends allegation.transitioned to the ledger, stops clocks that no
 * longer apply and starts those the new state opens. A step shared by the workflow use cases.
 */
import { AppError } from "../../contract/errors.ts";
import type { CaseConfig } from "../../domain/workflow/case-config.ts";
import { CLOCKS_ON_ENTER, CLOCK_KINDS, type ClockKind } from "../../domain/workflow/clocks.ts";
import type { GuardEvidence } from "../../domain/workflow/decisions.ts";
import type { Actor } from "../../domain/workflow/roles.ts";
import { checkTransition } from "../../domain/workflow/transitions.ts";
import type { WorkflowDefinition } from "../../domain/workflow/workflow-definition.ts";
import type { Queryable } from "../../storage/db.ts";
import {
  insertTransition,
  selectAllegations,
  updateAllegationState,
  type AllegationRow,
} from "../../storage/repositories/allegation.repository.ts";
import { markCaseClosed } from "../../storage/repositories/case.repository.ts";
import { markClockStopped, selectOpenClocks } from "../../storage/repositories/clock.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { startCaseClock } from "./start-case-clock.ts";

function isClockKind(k: string): k is ClockKind {
  return (CLOCK_KINDS as readonly string[]).includes(k);
}

export interface AppliedTransition {
  allegationId: string;
  from: string;
  to: string;
  clocksStarted: string[];
  clocksStopped: string[];
  caseClosed: boolean;
}

/**
 * @throws AppError CONFLICT (illegal move or unmet guard, naming the state and the allowed moves), FORBIDDEN (role)
 */
export async function applyAllegationTransition(
  tx: Queryable,
  cfg: CaseConfig,
  wf: WorkflowDefinition,
  m: {
    allegation: AllegationRow;
    to: string;
    actor: Actor;
    evidence: GuardEvidence;
    reason?: string | null | undefined;
    details?: Record<string, unknown>;
    now: Date;
  },
): Promise<AppliedTransition> {
  const a = m.allegation;
  const check = checkTransition(wf, a.state, m.to, m.actor, m.evidence);
  if (!check.ok) {
    throw new AppError(check.code, {
      userMessage: `Allegation ${a.id}: ${check.message}`,
      details: { state: a.state, to: m.to },
    });
  }
  await updateAllegationState(tx, {
    allegationId: a.id,
    state: m.to,
    severity: m.evidence.severity,
    at: m.now,
  });
  await insertTransition(tx, {
    orgId: a.orgId,
    allegationId: a.id,
    from: a.state,
    to: m.to,
    actorUserId: m.actor.userId,
    reason: m.reason ?? null,
    details: m.details ?? {},
    at: m.now,
  });

  const clocksStopped: string[] = [];
  for (const k of await selectOpenClocks(tx, { orgId: a.orgId, caseId: a.caseId, allegationId: a.id })) {
    const active = isClockKind(k.kind) ? cfg.clockRules[k.kind].activeStates : undefined;
    if (active && !active.includes(m.to)) {
      await markClockStopped(tx, k.id, m.now);
      clocksStopped.push(k.id);
    }
  }
  const clocksStarted: string[] = [];
  for (const kind of CLOCKS_ON_ENTER[m.to] ?? []) {
    // The progress-report clock runs from when the allegation arrived, not from the start of investigation.
    const from = kind === "progress_report" ? a.caseOpenedAt : m.now;
    const id = await startCaseClock(tx, cfg, {
      orgId: a.orgId,
      caseId: a.caseId,
      allegationId: a.id,
      kind,
      startedAt: m.now,
      from,
    });
    if (id) clocksStarted.push(id);
  }

  const terminal = new Set(wf.states.filter((s) => s.terminal).map((s) => s.id));
  const all = await selectAllegations(tx, a.orgId, a.caseId);
  const caseClosed = terminal.has(m.to) && all.every((x) => (x.id === a.id ? true : terminal.has(x.state)));
  if (caseClosed) await markCaseClosed(tx, a.caseId, m.now);

  await appendLedgerEvent(tx, {
    orgId: a.orgId,
    eventType: "allegation.transitioned",
    caseRef: a.caseReference,
    actor: m.actor.userId,
    payload: {
      allegationId: a.id,
      from: a.state,
      to: m.to,
      reason: m.reason ?? null,
      details: m.details ?? {},
      clocksStarted,
      clocksStopped,
      caseClosed,
    },
    occurredAt: m.now,
  });
  return { allegationId: a.id, from: a.state, to: m.to, clocksStarted, clocksStopped, caseClosed };
}
