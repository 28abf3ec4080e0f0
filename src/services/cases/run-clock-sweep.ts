/**
 * @module run-clock-sweep
 * Finds open clocks that are due for a reminder or have breached at `now`, and records a notice for the
 * appropriate authority (and for oversight: every notice of a referred case, every breach of any case),
 * with clock.reminder / clock.breached in the ledger. Idempotent: notices are unique per clock, kind and
 * role, and the ledger entry is written only by the call that inserted the first notice.
 */
import { CLOCK_KINDS, clockState, type ClockKind } from "../../domain/workflow/clocks.ts";
import {
  insertNotificationOnce,
  selectOpenClocksDueBefore,
  type ClockRow,
  type NotificationKind,
} from "../../storage/repositories/clock.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { caseWasReferred } from "../../storage/repositories/triage.repository.ts";
import { configOf, type CaseDeps } from "./case-deps.ts";

export interface ClockSweepResult {
  reminders: number;
  breaches: number;
  notifications: { clockId: string; caseId: string; kind: NotificationKind; recipientRole: string }[];
}

const isKind = (k: string): k is ClockKind => (CLOCK_KINDS as readonly string[]).includes(k);

function noticeText(k: ClockRow, label: string, kind: NotificationKind): string {
  const due = k.dueAt.toISOString();
  return kind === "clock_breach"
    ? `${k.caseReference}: the deadline to ${label} passed at ${due}`
    : `${k.caseReference}: the deadline to ${label} is ${due}`;
}

/** Runs one sweep. `orgId` limits it to one organisation (default: all). */
export async function runClockSweep(
  deps: CaseDeps,
  input: { now: Date; orgId?: string | undefined },
): Promise<ClockSweepResult> {
  const cfg = configOf(deps);
  const maxLead = Math.max(...Object.values(cfg.clockRules).map((r) => r.reminderDaysBefore));
  const horizon = new Date(input.now.getTime() + maxLead * 86_400_000 + 1);
  const due = await selectOpenClocksDueBefore(deps.db, horizon, input.orgId);
  const result: ClockSweepResult = { reminders: 0, breaches: 0, notifications: [] };
  for (const k of due) {
    if (!isKind(k.kind)) continue;
    const rule = cfg.clockRules[k.kind];
    const state = clockState(k.dueAt, rule.reminderDaysBefore, input.now);
    if (state === "running") continue;
    const kind: NotificationKind = state === "breached" ? "clock_breach" : "clock_reminder";
    await deps.db.transaction(async (tx) => {
      const referred = await caseWasReferred(tx, k.orgId, k.caseId);
      const roles =
        kind === "clock_breach" || referred
          ? ["appropriate_authority", "oversight"]
          : ["appropriate_authority"];
      const inserted: string[] = [];
      for (const recipientRole of roles) {
        const ok = await insertNotificationOnce(tx, {
          orgId: k.orgId,
          caseId: k.caseId,
          clockId: k.id,
          kind,
          recipientRole,
          body: noticeText(k, rule.label, kind),
          at: input.now,
        });
        if (ok) {
          inserted.push(recipientRole);
          result.notifications.push({ clockId: k.id, caseId: k.caseId, kind, recipientRole });
        }
      }
      if (inserted.length === 0) return;
      if (kind === "clock_breach") result.breaches++;
      else result.reminders++;
      await appendLedgerEvent(tx, {
        orgId: k.orgId,
        eventType: kind === "clock_breach" ? "clock.breached" : "clock.reminder",
        caseRef: k.caseReference,
        actor: "system:clock-sweep",
        payload: { clockId: k.id, kind: k.kind, dueAt: k.dueAt.toISOString(), recipients: inserted },
        occurredAt: input.now,
      });
    });
  }
  return result;
}
