/**
 * @module list-reporter-reports
 * The reports a signed-in reporter made (named or confidential), so case-api can offer each one's
 * view through `resolveReporterAccess` and `readReporterView`.
 */
import { findCase } from "../../storage/repositories/case.repository.ts";
import { selectReportsByReporter } from "../../storage/repositories/report.repository.ts";
import type { CaseDeps } from "./case-deps.ts";

export async function listReporterReports(
  deps: CaseDeps,
  input: { orgId: string; userId: string },
): Promise<{ reportId: string; caseId: string; reference: string; receivedAt: Date }[]> {
  const reports = await selectReportsByReporter(deps.db, input.orgId, input.userId);
  const out: { reportId: string; caseId: string; reference: string; receivedAt: Date }[] = [];
  for (const r of reports) {
    const c = await findCase(deps.db, input.orgId, r.caseId);
    if (c) out.push({ reportId: r.id, caseId: r.caseId, reference: c.reference, receivedAt: r.receivedAt });
  }
  return out;
}
