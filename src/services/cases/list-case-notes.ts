/**
 * @module list-case-notes
 * Reads investigators' notes (case team only).
 */
import { z } from "zod";
import { selectNotes, type NoteRow } from "../../storage/repositories/message.repository.ts";
import { parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema } from "./case-schemas.ts";
import { MESSAGE_ROLES } from "./send-message-to-reporter.ts";

const ListSchema = z.object({ orgId: z.guid(), caseId: z.guid(), actor: ActorSchema });

/** The case team's notes, oldest first. @throws AppError FORBIDDEN for anyone outside the team roles */
export async function listCaseNotes(deps: CaseDeps, input: z.input<typeof ListSchema>): Promise<NoteRow[]> {
  const inp = parseInput(ListSchema, input);
  requireRole(inp.actor, MESSAGE_ROLES, "reading case notes");
  return selectNotes(deps.db, inp.orgId, inp.caseId);
}
