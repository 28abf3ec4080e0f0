/**
 * @module send-message-to-reporter
 * A message from the case team into the reporter's inbox. Sending an acknowledgement meets the 7-day
 * clock; sending feedback meets the 3-month clock.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import type { CaseRole } from "../../domain/workflow/roles.ts";
import { markClockMet, selectOpenClocks } from "../../storage/repositories/clock.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertReporterMessage } from "../../storage/repositories/message.repository.ts";
import { selectCaseReportIds } from "../../storage/repositories/report.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "./case-schemas.ts";

/** Roles that may write to the reporter. */
export const MESSAGE_ROLES: readonly CaseRole[] = [
  "intake_officer",
  "investigator",
  "appropriate_authority",
  "protection_officer",
  "victim_liaison",
];

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  /** Which report's reporter; defaults to the case's only report. */
  reportId: z.guid().optional(),
  actor: ActorSchema,
  kind: z.enum(["message", "acknowledgement", "feedback"]).default("message"),
  body: TextSchema,
  now: NowSchema,
});
export type SendMessageToReporterInput = z.input<typeof Schema>;

/**
 * @throws AppError FORBIDDEN, NOT_FOUND, CONFLICT (several reports and none named)
 */
export async function sendMessageToReporter(
  deps: CaseDeps,
  input: SendMessageToReporterInput,
): Promise<{ messageId: string; clocksMet: string[] }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, MESSAGE_ROLES, "writing to the reporter");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    // The case (its reference is the ledger's case key) and its reports in one round trip.
    const c = found(await selectCaseReportIds(tx, inp.orgId, inp.caseId), "case");
    const reportId = inp.reportId ? c.reportIds.find((id) => id === inp.reportId) : c.reportIds[0];
    if (!reportId) throw new AppError("NOT_FOUND", { userMessage: "report not found on this case" });
    if (!inp.reportId && c.reportIds.length > 1) {
      throw new AppError("CONFLICT", {
        userMessage: "the case has several reports: say which reporter to write to",
      });
    }
    const m = await insertReporterMessage(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      reportId,
      direction: "to_reporter",
      kind: inp.kind,
      body: inp.body,
      authorUserId: inp.actor.userId,
      sentAt: now,
    });
    const clocksMet: string[] = [];
    if (inp.kind !== "message") {
      for (const k of await selectOpenClocks(tx, { orgId: inp.orgId, caseId: inp.caseId, kind: inp.kind })) {
        if (await markClockMet(tx, k.id, now)) clocksMet.push(k.id);
      }
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "message.sent",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { messageId: m.id, reportId, direction: "to_reporter", kind: inp.kind, clocksMet },
      occurredAt: now,
    });
    return { messageId: m.id, clocksMet };
  });
}
