/**
 * @module get-case-detail
 * Everything the case team sees on a case page: the case, its reports (without the reporter's identity:
 * see `readReporterIdentity`), subjects and their allegations with the moves allowed from each state,
 * clocks and the protection track. Notes, the victims worklist and adverse events have their own reads.
 */
import { allowedMoves } from "../../domain/workflow/transitions.ts";
import {
  selectAllegations,
  selectSubjects,
  type SubjectRow,
} from "../../storage/repositories/allegation.repository.ts";
import {
  findCase,
  selectAssignments,
  type AssignmentRow,
  type CaseRow,
} from "../../storage/repositories/case.repository.ts";
import { selectClocksForCase, type ClockRow } from "../../storage/repositories/clock.repository.ts";
import {
  findProtectionTrack,
  type ProtectionTrackRow,
} from "../../storage/repositories/protection.repository.ts";
import { selectReportsForCase } from "../../storage/repositories/report.repository.ts";
import { found, workflowOf, type CaseDeps } from "./case-deps.ts";

export interface CaseDetail {
  case: CaseRow;
  reports: { id: string; mode: string; body: string; isDisclosure: boolean; receivedAt: Date }[];
  subjects: SubjectRow[];
  allegations: {
    id: string;
    subjectId: string;
    regime: string;
    state: string;
    stateLabel: string;
    severity: string | null;
    summary: string;
    allowedMoves: string[];
  }[];
  clocks: ClockRow[];
  assignments: AssignmentRow[];
  protection: ProtectionTrackRow | null;
}

/**
 * Reads a case. Access control (assignment, conflicts) is the caller's.
 * @throws AppError NOT_FOUND
 */
export async function getCaseDetail(
  deps: CaseDeps,
  input: { orgId: string; caseId: string },
): Promise<CaseDetail> {
  const c = found(await findCase(deps.db, input.orgId, input.caseId), "case");
  const wf = workflowOf(deps, c.workflowId);
  const [reports, subjects, allegations, clocks, assignments, protection] = [
    await selectReportsForCase(deps.db, input.orgId, input.caseId),
    await selectSubjects(deps.db, input.orgId, input.caseId),
    await selectAllegations(deps.db, input.orgId, input.caseId),
    await selectClocksForCase(deps.db, input.orgId, input.caseId),
    await selectAssignments(deps.db, input.orgId, input.caseId),
    await findProtectionTrack(deps.db, input.orgId, input.caseId),
  ];
  return {
    case: c,
    reports: reports.map((r) => ({
      id: r.id,
      mode: r.mode,
      body: r.body,
      isDisclosure: r.isDisclosure,
      receivedAt: r.receivedAt,
    })),
    subjects,
    allegations: allegations.map((a) => ({
      id: a.id,
      subjectId: a.subjectId,
      regime: a.regime,
      state: a.state,
      stateLabel: wf.states.find((s) => s.id === a.state)?.label ?? a.state,
      severity: a.severity,
      summary: a.summary,
      allowedMoves: allowedMoves(wf, a.state),
    })),
    clocks,
    assignments,
    protection: protection ?? null,
  };
}
