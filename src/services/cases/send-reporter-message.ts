/**
 * @module send-reporter-message
 * A message from the reporter to the case team.
 */
import { z } from "zod";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertReporterMessage } from "../../storage/repositories/message.repository.ts";
import { findReport } from "../../storage/repositories/report.repository.ts";
import { found, parseInput, type CaseDeps } from "./case-deps.ts";
import type { ReporterAccess } from "./authenticate-reporter.ts";
import { NowSchema, TextSchema } from "./case-schemas.ts";
import { coarseTime } from "./record-report.ts";

const Schema = z.object({ body: TextSchema, now: NowSchema });
export type SendReporterMessageInput = z.input<typeof Schema>;

/** Stores the reporter's message and records message.sent (without the text) in the ledger. */
export async function sendReporterMessage(
  deps: CaseDeps,
  access: ReporterAccess,
  input: SendReporterMessageInput,
): Promise<{ messageId: string }> {
  const inp = parseInput(Schema, input);
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, access.orgId, access.caseId), "case");
    const report = found(await findReport(tx, access.orgId, access.reportId), "report");
    const now = report.mode === "anonymous" ? coarseTime(inp.now ?? new Date()) : (inp.now ?? new Date());
    const m = await insertReporterMessage(tx, {
      orgId: access.orgId,
      caseId: access.caseId,
      reportId: access.reportId,
      direction: "from_reporter",
      kind: "message",
      body: inp.body,
      authorUserId: null,
      sentAt: now,
    });
    await appendLedgerEvent(tx, {
      orgId: access.orgId,
      eventType: "message.sent",
      caseRef: c.reference,
      actor: "reporter",
      payload: { messageId: m.id, reportId: access.reportId, direction: "from_reporter" },
      occurredAt: now,
    });
    return { messageId: m.id };
  });
}
