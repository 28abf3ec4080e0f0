/**
 * @module nda.repository
 * The register of non-disclosure agreements and their release ("amnesty") workflow.
 */
import type { Queryable } from "../db.ts";

export interface NdaRow {
  id: string;
  caseId: string | null;
  parties: string[];
  agreementDate: string;
  clauseText: string;
  assessment: string | null;
  assessmentReason: string | null;
  releaseLetterSentAt: Date | null;
  acknowledgedAt: Date | null;
}

interface Raw {
  [k: string]: unknown;
  id: string;
  case_id: string | null;
  parties: string[];
  agreement_date: string;
  clause_text: string;
  assessment: string | null;
  assessment_reason: string | null;
  release_letter_sent_at: Date | string | null;
  acknowledged_at: Date | string | null;
}

// agreement_date as text: node-postgres turns a `date` into a local-midnight Date, which shifts days.
const COLS = `id, case_id, parties, agreement_date::text AS agreement_date, clause_text, assessment, assessment_reason,
  release_letter_sent_at, acknowledged_at`;

const optDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toNda(r: Raw): NdaRow {
  return {
    id: r.id,
    caseId: r.case_id,
    parties: r.parties,
    agreementDate: r.agreement_date,
    clauseText: r.clause_text,
    assessment: r.assessment,
    assessmentReason: r.assessment_reason,
    releaseLetterSentAt: optDate(r.release_letter_sent_at),
    acknowledgedAt: optDate(r.acknowledged_at),
  };
}

export async function insertNda(
  tx: Queryable,
  n: {
    orgId: string;
    caseId: string | null;
    parties: string[];
    agreementDate: string;
    clauseText: string;
    by: string;
    at: Date;
  },
): Promise<NdaRow> {
  const [row] = await tx.query<Raw>(
    `INSERT INTO nda_agreements (org_id, case_id, parties, agreement_date, clause_text, registered_by, registered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
    [n.orgId, n.caseId, n.parties, n.agreementDate, n.clauseText, n.by, n.at.toISOString()],
  );
  if (!row) throw new Error("insert into nda_agreements returned nothing");
  return toNda(row);
}

export async function findNda(
  q: Queryable,
  orgId: string,
  ndaId: string,
  forUpdate = false,
): Promise<NdaRow | undefined> {
  const [row] = await q.query<Raw>(
    `SELECT ${COLS} FROM nda_agreements WHERE org_id = $1 AND id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [orgId, ndaId],
  );
  return row ? toNda(row) : undefined;
}

export async function selectNdas(q: Queryable, orgId: string, caseId?: string): Promise<NdaRow[]> {
  const rows = await q.query<Raw>(
    `SELECT ${COLS} FROM nda_agreements WHERE org_id = $1 AND ($2::uuid IS NULL OR case_id = $2) ORDER BY agreement_date, id`,
    [orgId, caseId ?? null],
  );
  return rows.map(toNda);
}

export async function updateNdaAssessment(
  tx: Queryable,
  u: { ndaId: string; assessment: string; reason: string; by: string; at: Date },
): Promise<void> {
  await tx.query(
    "UPDATE nda_agreements SET assessment = $2, assessment_reason = $3, assessed_by = $4, assessed_at = $5 WHERE id = $1",
    [u.ndaId, u.assessment, u.reason, u.by, u.at.toISOString()],
  );
}

export async function updateNdaRelease(
  tx: Queryable,
  u: { ndaId: string; step: "letter_sent" | "acknowledged"; at: Date },
): Promise<void> {
  const col = u.step === "letter_sent" ? "release_letter_sent_at" : "acknowledged_at";
  await tx.query(`UPDATE nda_agreements SET ${col} = $2 WHERE id = $1`, [u.ndaId, u.at.toISOString()]);
}
