/**
 * @module acquisition.repository
 * Acquisition records: who took which bytes in, when, how, why, under whose authority.
 */
import type { Queryable } from "../db.ts";

export const ACQUISITION_METHODS = ["upload", "device_extraction", "provided_by_reporter", "other"] as const;
export type AcquisitionMethod = (typeof ACQUISITION_METHODS)[number];
export type AcquisitionStatus = "stored" | "parsing" | "parsed" | "failed";

export interface Scope {
  statement: string;
  chat?: string | null | undefined;
  dateFrom?: string | null | undefined;
  dateTo?: string | null | undefined;
  justification?: string | null | undefined;
  authorisedBy?: string | null | undefined;
}

export interface NewAcquisition {
  orgId: string;
  caseRef: string;
  sha256: string;
  sizeBytes: number;
  originalName: string;
  mediaType: string;
  acquiredBy: string;
  acquiredAt: Date;
  method: AcquisitionMethod;
  scope: Scope;
}

export interface Acquisition extends NewAcquisition {
  id: string;
  status: AcquisitionStatus;
  failureReason: string | null;
}

interface AcquisitionRow {
  [k: string]: unknown;
  id: string;
  org_id: string;
  case_ref: string;
  sha256: string;
  size_bytes: number;
  original_name: string;
  media_type: string;
  acquired_by: string;
  acquired_at: Date | string;
  method: AcquisitionMethod;
  scope_statement: string;
  scope_chat: string | null;
  scope_date_from: Date | string | null;
  scope_date_to: Date | string | null;
  scope_justification: string | null;
  scope_authorised_by: string | null;
  status: AcquisitionStatus;
  failure_reason: string | null;
}

const dateOnly = (v: Date | string | null): string | null =>
  v === null ? null : typeof v === "string" ? v.slice(0, 10) : v.toISOString().slice(0, 10);

function toAcquisition(r: AcquisitionRow): Acquisition {
  return {
    id: r.id,
    orgId: r.org_id,
    caseRef: r.case_ref,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    originalName: r.original_name,
    mediaType: r.media_type,
    acquiredBy: r.acquired_by,
    acquiredAt: new Date(r.acquired_at),
    method: r.method,
    scope: {
      statement: r.scope_statement,
      chat: r.scope_chat,
      dateFrom: dateOnly(r.scope_date_from),
      dateTo: dateOnly(r.scope_date_to),
      justification: r.scope_justification,
      authorisedBy: r.scope_authorised_by,
    },
    status: r.status,
    failureReason: r.failure_reason,
  };
}

export async function insertAcquisition(tx: Queryable, a: NewAcquisition): Promise<Acquisition> {
  const [row] = await tx.query<AcquisitionRow>(
    `INSERT INTO acquisitions (org_id, case_ref, sha256, size_bytes, original_name, media_type, acquired_by, acquired_at,
       method, scope_statement, scope_chat, scope_date_from, scope_date_to, scope_justification, scope_authorised_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING *`,
    [
      a.orgId,
      a.caseRef,
      a.sha256,
      a.sizeBytes,
      a.originalName,
      a.mediaType,
      a.acquiredBy,
      a.acquiredAt.toISOString(),
      a.method,
      a.scope.statement,
      a.scope.chat ?? null,
      a.scope.dateFrom ?? null,
      a.scope.dateTo ?? null,
      a.scope.justification ?? null,
      a.scope.authorisedBy ?? null,
    ],
  );
  if (!row) {
    throw new Error("insert returned no row");
  }
  return toAcquisition(row);
}

export async function findAcquisition(db: Queryable, orgId: string, id: string): Promise<Acquisition | null> {
  const [row] = await db.query<AcquisitionRow>("SELECT * FROM acquisitions WHERE org_id = $1 AND id = $2", [
    orgId,
    id,
  ]);
  return row ? toAcquisition(row) : null;
}

export async function listAcquisitionsForCase(
  db: Queryable,
  orgId: string,
  caseRef: string,
): Promise<Acquisition[]> {
  const rows = await db.query<AcquisitionRow>(
    "SELECT * FROM acquisitions WHERE org_id = $1 AND case_ref = $2 ORDER BY acquired_at, id",
    [orgId, caseRef],
  );
  return rows.map(toAcquisition);
}

export async function setAcquisitionStatus(
  db: Queryable,
  id: string,
  status: AcquisitionStatus,
  failureReason: string | null = null,
): Promise<void> {
  await db.query("UPDATE acquisitions SET status = $2, failure_reason = $3 WHERE id = $1", [
    id,
    status,
    failureReason,
  ]);
}

/** Every sha256 the database says the evidence store holds (acquired files and zip members). */
export async function listReferencedHashes(db: Queryable): Promise<{ sha256: string; source: string }[]> {
  return db.query<{ sha256: string; source: string }>(
    `SELECT sha256, 'acquisition ' || id::text AS source FROM acquisitions
     UNION ALL SELECT sha256, 'zip member ' || path || ' of acquisition ' || acquisition_id::text FROM archive_members`,
  );
}
