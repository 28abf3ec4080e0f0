/**
 * @module send-reporter-message
 * A message from the reporter to the case team.
 */
import { z } from "zod";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertReporterMessage } from "../../storage/repositories/message.repository.ts";
import { found, parseInput, type CaseDeps } from "./case-deps.ts";
import type { ReporterAccess } from "./authenticate-reporter.ts";
import { NowSchema, TextSchema } from "./case-schemas.ts";

const Schema = z.object({ body: TextSchema, now: NowSchema });

/** Stores the reporter's message and records message.sent (without the text) in the ledger. */
export async function sendReporterMessage(
  deps: CaseDeps,
  access: ReporterAccess,
  input: z.input<typeof Schema>,
): Promise<{ messageId: string }> {
  const inp = parseInput(Schema, input);
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, access.orgId, access.caseId), "case");
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
