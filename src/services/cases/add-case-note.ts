/**
 * @module add-case-note
 * Investigators' notes: written and read by the case team, never visible to the reporter.
 */
import { z } from "zod";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertNote } from "../../storage/repositories/message.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "./case-schemas.ts";
import { MESSAGE_ROLES } from "./send-message-to-reporter.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  body: TextSchema,
  now: NowSchema,
});
export type AddCaseNoteInput = z.input<typeof Schema>;

/** Adds a note; the ledger records that a note was written, not its text. */
export async function addCaseNote(deps: CaseDeps, input: AddCaseNoteInput): Promise<{ noteId: string }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, MESSAGE_ROLES, "writing a case note");
  const now = inp.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const n = await insertNote(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      authorUserId: inp.actor.userId,
      body: inp.body,
      writtenAt: now,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "note.added",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { noteId: n.id },
      occurredAt: now,
    });
    return { noteId: n.id };
  });
}
