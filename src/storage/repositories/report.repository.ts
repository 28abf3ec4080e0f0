/**
 * @module report.repository
 * Reports, the reporter's identity (kept apart) and grants to read it.
 */
import type { Queryable } from "../db.ts";

export type ReportMode = "named" | "confidential" | "anonymous";

export interface ReportRow {
  id: string;
  orgId: string;
  caseId: string;
  mode: ReportMode;
  body: string;
  isDisclosure: boolean;
  receivedAt: Date;
  reporterUserId: string | null;
}

interface RawReport {
  [k: string]: unknown;
  id: string;
  org_id: string;
  case_id: string;
  mode: ReportMode;
  body: string;
  is_disclosure: boolean;
  received_at: Date | string;
  reporter_user_id: string | null;
}

const COLS = "id, org_id, case_id, mode, body, is_disclosure, received_at, reporter_user_id";

function toReport(r: RawReport): ReportRow {
  return {
    id: r.id,
    orgId: r.org_id,
    caseId: r.case_id,
    mode: r.mode,
    body: r.body,
    isDisclosure: r.is_disclosure,
    receivedAt: new Date(r.received_at),
    reporterUserId: r.reporter_user_id,
  };
}

export async function insertReport(
  tx: Queryable,
  r: {
    orgId: string;
    caseId: string;
    mode: ReportMode;
    body: string;
    isDisclosure: boolean;
    receivedAt: Date;
    reporterUserId: string | null;
    receiptLookup: string | null;
    passphraseHash: string | null;
  },
): Promise<ReportRow> {
  const [row] = await tx.query<RawReport>(
    `INSERT INTO reports (org_id, case_id, mode, body, is_disclosure, received_at, reporter_user_id, receipt_lookup, passphrase_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLS}`,
    [
      r.orgId,
      r.caseId,
      r.mode,
      r.body,
      r.isDisclosure,
      r.receivedAt.toISOString(),
      r.reporterUserId,
      r.receiptLookup,
      r.passphraseHash,
    ],
  );
  if (!row) throw new Error("insert into reports returned nothing");
  return toReport(row);
}

export async function findReport(
  q: Queryable,
  orgId: string,
  reportId: string,
): Promise<ReportRow | undefined> {
  const [row] = await q.query<RawReport>(`SELECT ${COLS} FROM reports WHERE org_id = $1 AND id = $2`, [
    orgId,
    reportId,
  ]);
  return row ? toReport(row) : undefined;
}

export async function selectReportsForCase(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<ReportRow[]> {
  const rows = await q.query<RawReport>(
    `SELECT ${COLS} FROM reports WHERE org_id = $1 AND case_id = $2 ORDER BY received_at`,
    [orgId, caseId],
  );
  return rows.map(toReport);
}

/**
 * A case's reference and the ids of its reports, oldest first, in one read (what writing to a reporter
 * needs); undefined when the case does not exist in the organisation.
 */
export async function selectCaseReportIds(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<{ reference: string; reportIds: string[] } | undefined> {
  const rows = await q.query<{ reference: string; report_id: string | null }>(
    `SELECT c.reference, r.id AS report_id
     FROM cases c LEFT JOIN reports r ON r.org_id = c.org_id AND r.case_id = c.id
     WHERE c.org_id = $1 AND c.id = $2 ORDER BY r.received_at`,
    [orgId, caseId],
  );
  const [first] = rows;
  if (!first) {
    return undefined;
  }
  return { reference: first.reference, reportIds: rows.flatMap((r) => (r.report_id ? [r.report_id] : [])) };
}

/** Reports a signed-in reporter made (named or confidential), newest first. */
export async function selectReportsByReporter(
  q: Queryable,
  orgId: string,
  userId: string,
): Promise<ReportRow[]> {
  const rows = await q.query<RawReport>(
    `SELECT ${COLS} FROM reports WHERE org_id = $1 AND reporter_user_id = $2 ORDER BY received_at DESC`,
    [orgId, userId],
  );
  return rows.map(toReport);
}

/** The report and passphrase hash behind a receipt code's lookup hash (any organisation). */
export async function findReportByReceiptLookup(
  q: Queryable,
  lookup: string,
): Promise<{ report: ReportRow; passphraseHash: string } | undefined> {
  const [row] = await q.query<RawReport & { passphrase_hash: string | null }>(
    `SELECT ${COLS}, passphrase_hash FROM reports WHERE receipt_lookup = $1`,
    [lookup],
  );
  if (!row || row.passphrase_hash === null) return undefined;
  return { report: toReport(row), passphraseHash: row.passphrase_hash };
}

export interface IdentityRow {
  reportId: string;
  caseId: string;
  restricted: boolean;
  fullName: string;
  contact: string | null;
  nameKey: string;
}

export async function insertIdentity(
  tx: Queryable,
  i: {
    orgId: string;
    reportId: string;
    caseId: string;
    restricted: boolean;
    fullName: string;
    contact: string | null;
    nameKey: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO reporter_identities (org_id, report_id, case_id, restricted, full_name, contact, name_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [i.orgId, i.reportId, i.caseId, i.restricted, i.fullName, i.contact, i.nameKey],
  );
}

export async function selectIdentities(q: Queryable, orgId: string, caseId: string): Promise<IdentityRow[]> {
  const rows = await q.query<{
    report_id: string;
    case_id: string;
    restricted: boolean;
    full_name: string;
    contact: string | null;
    name_key: string;
  }>(
    `SELECT report_id, case_id, restricted, full_name, contact, name_key FROM reporter_identities
     WHERE org_id = $1 AND case_id = $2 ORDER BY report_id`,
    [orgId, caseId],
  );
  return rows.map((r) => ({
    reportId: r.report_id,
    caseId: r.case_id,
    restricted: r.restricted,
    fullName: r.full_name,
    contact: r.contact,
    nameKey: r.name_key,
  }));
}

export async function upsertIdentityGrant(
  tx: Queryable,
  g: { orgId: string; caseId: string; userId: string; grantedBy: string; at: Date; reason: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO identity_access_grants (org_id, case_id, user_id, granted_by, granted_at, reason)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (case_id, user_id) DO UPDATE SET granted_by = $4, granted_at = $5, reason = $6, revoked_at = NULL`,
    [g.orgId, g.caseId, g.userId, g.grantedBy, g.at.toISOString(), g.reason],
  );
}

export async function revokeIdentityGrant(
  tx: Queryable,
  g: { orgId: string; caseId: string; userId: string; at: Date },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE identity_access_grants SET revoked_at = $4
     WHERE org_id = $1 AND case_id = $2 AND user_id = $3 AND revoked_at IS NULL RETURNING user_id`,
    [g.orgId, g.caseId, g.userId, g.at.toISOString()],
  );
  return rows.length > 0;
}

export async function hasIdentityGrant(
  q: Queryable,
  orgId: string,
  caseId: string,
  userId: string,
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM identity_access_grants WHERE org_id = $1 AND case_id = $2 AND user_id = $3 AND revoked_at IS NULL`,
    [orgId, caseId, userId],
  );
  return rows.length > 0;
}
