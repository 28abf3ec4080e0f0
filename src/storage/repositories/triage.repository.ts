/**
 * @module triage.repository
 * Triage decisions (with their second review) and referral checks.
 */
import type { Queryable } from "../db.ts";

export type TriageStatus = "final" | "awaiting_review" | "confirmed" | "rejected";

export interface TriageDecisionRow {
  id: string;
  allegationId: string;
  decision: string;
  rationale: string;
  decidedBy: string;
  decidedAt: Date;
  status: TriageStatus;
  noticeToReporter: string | null;
  reviewedBy: string | null;
}

interface RawDecision {
  [k: string]: unknown;
  id: string;
  allegation_id: string;
  decision: string;
  rationale: string;
  decided_by: string;
  decided_at: Date | string;
  status: TriageStatus;
  notice_to_reporter: string | null;
  reviewed_by: string | null;
}

const COLS =
  "id, allegation_id, decision, rationale, decided_by, decided_at, status, notice_to_reporter, reviewed_by";

function toDecision(r: RawDecision): TriageDecisionRow {
  return {
    id: r.id,
    allegationId: r.allegation_id,
    decision: r.decision,
    rationale: r.rationale,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
    status: r.status,
    noticeToReporter: r.notice_to_reporter,
    reviewedBy: r.reviewed_by,
  };
}

export async function insertTriageDecision(
  tx: Queryable,
  d: {
    orgId: string;
    allegationId: string;
    decision: string;
    rationale: string;
    decidedBy: string;
    at: Date;
    status: TriageStatus;
    noticeToReporter: string | null;
  },
): Promise<TriageDecisionRow> {
  const [row] = await tx.query<RawDecision>(
    `INSERT INTO triage_decisions (org_id, allegation_id, decision, rationale, decided_by, decided_at, status, notice_to_reporter)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLS}`,
    [
      d.orgId,
      d.allegationId,
      d.decision,
      d.rationale,
      d.decidedBy,
      d.at.toISOString(),
      d.status,
      d.noticeToReporter,
    ],
  );
  if (!row) throw new Error("insert into triage_decisions returned nothing");
  return toDecision(row);
}

export async function findTriageDecision(
  q: Queryable,
  orgId: string,
  decisionId: string,
  forUpdate = false,
): Promise<TriageDecisionRow | undefined> {
  const [row] = await q.query<RawDecision>(
    `SELECT ${COLS} FROM triage_decisions WHERE org_id = $1 AND id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [orgId, decisionId],
  );
  return row ? toDecision(row) : undefined;
}

/** A decision awaiting review for the allegation, if any. */
export async function findPendingTriageDecision(
  q: Queryable,
  orgId: string,
  allegationId: string,
): Promise<TriageDecisionRow | undefined> {
  const [row] = await q.query<RawDecision>(
    `SELECT ${COLS} FROM triage_decisions WHERE org_id = $1 AND allegation_id = $2 AND status = 'awaiting_review'`,
    [orgId, allegationId],
  );
  return row ? toDecision(row) : undefined;
}

export async function recordTriageReview(
  tx: Queryable,
  r: { decisionId: string; status: "confirmed" | "rejected"; reviewedBy: string; at: Date; comment: string },
): Promise<void> {
  await tx.query(
    "UPDATE triage_decisions SET status = $2, reviewed_by = $3, reviewed_at = $4, review_comment = $5 WHERE id = $1",
    [r.decisionId, r.status, r.reviewedBy, r.at.toISOString(), r.comment],
  );
}

export async function insertReferralCheck(
  tx: Queryable,
  c: {
    orgId: string;
    allegationId: string;
    answers: unknown;
    referralRequired: boolean;
    checkedBy: string;
    at: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO referral_checks (org_id, allegation_id, answers, referral_required, checked_by, checked_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [c.orgId, c.allegationId, JSON.stringify(c.answers), c.referralRequired, c.checkedBy, c.at.toISOString()],
  );
  if (!row) throw new Error("insert into referral_checks returned nothing");
  return row.id;
}

/** True when any allegation of the case was found to need referral (oversight is told of its clocks). */
export async function caseWasReferred(q: Queryable, orgId: string, caseId: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM referral_checks r JOIN allegations a ON a.id = r.allegation_id
     WHERE r.org_id = $1 AND a.case_id = $2 AND r.referral_required LIMIT 1`,
    [orgId, caseId],
  );
  return rows.length > 0;
}
