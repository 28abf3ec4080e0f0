/**
 * @module list-case-messages
 * The case team's view of the messages exchanged with the case's reporters, per report.
 */
import type { Db } from "../storage/db.ts";
import {
  selectReporterMessages,
  type ReporterMessageRow,
} from "../storage/repositories/message.repository.ts";
import { selectReportsForCase } from "../storage/repositories/report.repository.ts";

export async function listCaseMessages(
  deps: { db: Db },
  input: { orgId: string; caseId: string },
): Promise<ReporterMessageRow[]> {
  const out: ReporterMessageRow[] = [];
  for (const r of await selectReportsForCase(deps.db, input.orgId, input.caseId)) {
    out.push(...(await selectReporterMessages(deps.db, input.orgId, r.id)));
  }
  return out;
}
