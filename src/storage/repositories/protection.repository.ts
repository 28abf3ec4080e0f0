/**
 * @module protection.repository
 * The protection track of a disclosure and the adverse events recorded about the reporter.
 */
import type { Queryable } from "../db.ts";

export interface ProtectionTrackRow {
  id: string;
  caseId: string;
  reportId: string;
  disclosedAt: Date;
  legalBases: string[];
  riskLevel: string | null;
  riskAssessment: string | null;
  plan: string | null;
  openedAt: Date;
  closedAt: Date | null;
}

interface RawTrack {
  [k: string]: unknown;
  id: string;
  case_id: string;
  report_id: string;
  disclosed_at: Date | string;
  legal_bases: string[];
  risk_level: string | null;
  risk_assessment: string | null;
  plan: string | null;
  opened_at: Date | string;
  closed_at: Date | string | null;
}

const TRACK_COLS =
  "id, case_id, report_id, disclosed_at, legal_bases, risk_level, risk_assessment, plan, opened_at, closed_at";

function toTrack(r: RawTrack): ProtectionTrackRow {
  return {
    id: r.id,
    caseId: r.case_id,
    reportId: r.report_id,
    disclosedAt: new Date(r.disclosed_at),
    legalBases: r.legal_bases,
    riskLevel: r.risk_level,
    riskAssessment: r.risk_assessment,
    plan: r.plan,
    openedAt: new Date(r.opened_at),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
  };
}

export async function insertProtectionTrack(
  tx: Queryable,
  t: {
    orgId: string;
    caseId: string;
    reportId: string;
    disclosedAt: Date;
    legalBases: string[];
    openedAt: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO protection_tracks (org_id, case_id, report_id, disclosed_at, legal_bases, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [t.orgId, t.caseId, t.reportId, t.disclosedAt.toISOString(), t.legalBases, t.openedAt.toISOString()],
  );
  if (!row) throw new Error("insert into protection_tracks returned nothing");
  return row.id;
}

export async function findProtectionTrack(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<ProtectionTrackRow | undefined> {
  const [row] = await q.query<RawTrack>(
    `SELECT ${TRACK_COLS} FROM protection_tracks WHERE org_id = $1 AND case_id = $2`,
    [orgId, caseId],
  );
  return row ? toTrack(row) : undefined;
}

export async function updateRiskAssessment(
  tx: Queryable,
  u: { trackId: string; level: string; assessment: string; by: string; at: Date },
): Promise<void> {
  await tx.query(
    "UPDATE protection_tracks SET risk_level = $2, risk_assessment = $3, risk_assessed_by = $4, risk_assessed_at = $5 WHERE id = $1",
    [u.trackId, u.level, u.assessment, u.by, u.at.toISOString()],
  );
}

export async function updateProtectionPlan(
  tx: Queryable,
  u: { trackId: string; plan: string; by: string; at: Date },
): Promise<void> {
  await tx.query("UPDATE protection_tracks SET plan = $2, plan_by = $3, plan_at = $4 WHERE id = $1", [
    u.trackId,
    u.plan,
    u.by,
    u.at.toISOString(),
  ]);
}

export async function closeProtection(
  tx: Queryable,
  u: { trackId: string; by: string; at: Date; reason: string },
): Promise<boolean> {
  const rows = await tx.query(
    "UPDATE protection_tracks SET closed_at = $3, closed_by = $2, close_reason = $4 WHERE id = $1 AND closed_at IS NULL RETURNING id",
    [u.trackId, u.by, u.at.toISOString(), u.reason],
  );
  return rows.length > 0;
}

export interface AdverseEventRow {
  id: string;
  caseId: string;
  kind: string;
  description: string;
  occurredAt: Date;
  recordedBy: string;
  recorderFunction: string;
  recordedAt: Date;
  flagged: boolean;
  flagReason: string | null;
  reviewStatus: "not_required" | "awaiting_review" | "reviewed";
  reviewedBy: string | null;
  reviewJustification: string | null;
  reviewDecision: string | null;
}

interface RawEvent {
  [k: string]: unknown;
  id: string;
  case_id: string;
  kind: string;
  description: string;
  occurred_at: Date | string;
  recorded_by: string;
  recorder_function: string;
  recorded_at: Date | string;
  flagged: boolean;
  flag_reason: string | null;
  review_status: AdverseEventRow["reviewStatus"];
  reviewed_by: string | null;
  review_justification: string | null;
  review_decision: string | null;
}

const EVENT_COLS = `id, case_id, kind, description, occurred_at, recorded_by, recorder_function, recorded_at, flagged,
  flag_reason, review_status, reviewed_by, review_justification, review_decision`;

function toEvent(r: RawEvent): AdverseEventRow {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    description: r.description,
    occurredAt: new Date(r.occurred_at),
    recordedBy: r.recorded_by,
    recorderFunction: r.recorder_function,
    recordedAt: new Date(r.recorded_at),
    flagged: r.flagged,
    flagReason: r.flag_reason,
    reviewStatus: r.review_status,
    reviewedBy: r.reviewed_by,
    reviewJustification: r.review_justification,
    reviewDecision: r.review_decision,
  };
}

export async function insertAdverseEvent(
  tx: Queryable,
  e: {
    orgId: string;
    caseId: string;
    kind: string;
    description: string;
    occurredAt: Date;
    recordedBy: string;
    recorderFunction: string;
    recordedAt: Date;
    flagged: boolean;
    flagReason: string | null;
  },
): Promise<AdverseEventRow> {
  const [row] = await tx.query<RawEvent>(
    `INSERT INTO adverse_events (org_id, case_id, kind, description, occurred_at, recorded_by, recorder_function,
       recorded_at, flagged, flag_reason, review_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${EVENT_COLS}`,
    [
      e.orgId,
      e.caseId,
      e.kind,
      e.description,
      e.occurredAt.toISOString(),
      e.recordedBy,
      e.recorderFunction,
      e.recordedAt.toISOString(),
      e.flagged,
      e.flagReason,
      e.flagged ? "awaiting_review" : "not_required",
    ],
  );
  if (!row) throw new Error("insert into adverse_events returned nothing");
  return toEvent(row);
}

export async function findAdverseEvent(
  q: Queryable,
  orgId: string,
  eventId: string,
  forUpdate = false,
): Promise<AdverseEventRow | undefined> {
  const [row] = await q.query<RawEvent>(
    `SELECT ${EVENT_COLS} FROM adverse_events WHERE org_id = $1 AND id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [orgId, eventId],
  );
  return row ? toEvent(row) : undefined;
}

export async function selectAdverseEvents(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<AdverseEventRow[]> {
  const rows = await q.query<RawEvent>(
    `SELECT ${EVENT_COLS} FROM adverse_events WHERE org_id = $1 AND case_id = $2 ORDER BY occurred_at, id`,
    [orgId, caseId],
  );
  return rows.map(toEvent);
}

export async function recordAdverseEventReview(
  tx: Queryable,
  r: { eventId: string; reviewedBy: string; justification: string; decision: string; at: Date },
): Promise<void> {
  await tx.query(
    `UPDATE adverse_events SET review_status = 'reviewed', reviewed_by = $2, review_justification = $3,
       review_decision = $4, reviewed_at = $5 WHERE id = $1`,
    [r.eventId, r.reviewedBy, r.justification, r.decision, r.at.toISOString()],
  );
}
