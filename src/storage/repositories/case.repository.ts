/**
 * @module case.repository
 * Cases, their references and assignments.
 */
import type { Queryable } from "../db.ts";

export interface CaseRow {
  id: string;
  orgId: string;
  reference: string;
  workflowId: string;
  title: string;
  openedAt: Date;
  closedAt: Date | null;
}

interface RawCase {
  [k: string]: unknown;
  id: string;
  org_id: string;
  reference: string;
  workflow_id: string;
  title: string;
  opened_at: Date | string;
  closed_at: Date | string | null;
}

const CASE_COLS = "id, org_id, reference, workflow_id, title, opened_at, closed_at";

function toCase(r: RawCase): CaseRow {
  return {
    id: r.id,
    orgId: r.org_id,
    reference: r.reference,
    workflowId: r.workflow_id,
    title: r.title,
    openedAt: new Date(r.opened_at),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
  };
}

/**
 * Takes the next number of the organisation's yearly sequence (the upsert locks the row until its
 * transaction ends: run it on its own, as report intake does, so that is only the statement's commit).
 */
export async function nextCaseNumber(tx: Queryable, orgId: string, year: number): Promise<number> {
  const [row] = await tx.query<{ last_number: number }>(
    `INSERT INTO case_counters (org_id, year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (org_id, year) DO UPDATE SET last_number = case_counters.last_number + 1
     RETURNING last_number`,
    [orgId, year],
  );
  return Number(row?.last_number ?? 1);
}

export async function insertCase(
  tx: Queryable,
  c: { orgId: string; reference: string; workflowId: string; title: string; openedAt: Date },
): Promise<CaseRow> {
  const [row] = await tx.query<RawCase>(
    `INSERT INTO cases (org_id, reference, workflow_id, title, opened_at) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${CASE_COLS}`,
    [c.orgId, c.reference, c.workflowId, c.title, c.openedAt.toISOString()],
  );
  if (!row) throw new Error("insert into cases returned nothing");
  return toCase(row);
}

export async function findCase(q: Queryable, orgId: string, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await q.query<RawCase>(`SELECT ${CASE_COLS} FROM cases WHERE org_id = $1 AND id = $2`, [
    orgId,
    caseId,
  ]);
  return row ? toCase(row) : undefined;
}

export async function findCaseByReference(
  q: Queryable,
  orgId: string,
  reference: string,
): Promise<CaseRow | undefined> {
  const [row] = await q.query<RawCase>(
    `SELECT ${CASE_COLS} FROM cases WHERE org_id = $1 AND reference = $2`,
    [orgId, reference],
  );
  return row ? toCase(row) : undefined;
}

export async function markCaseClosed(tx: Queryable, caseId: string, at: Date | null): Promise<void> {
  await tx.query("UPDATE cases SET closed_at = $2 WHERE id = $1", [caseId, at?.toISOString() ?? null]);
}

export interface AssignmentRow {
  userId: string;
  role: string;
  assignedBy: string;
  assignedAt: Date;
}

/** Adds an assignment; returns false when the user already held that role on the case. */
export async function insertAssignment(
  tx: Queryable,
  a: { orgId: string; caseId: string; userId: string; role: string; assignedBy: string; at: Date },
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO case_assignments (org_id, case_id, user_id, role, assigned_by, assigned_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING user_id`,
    [a.orgId, a.caseId, a.userId, a.role, a.assignedBy, a.at.toISOString()],
  );
  return rows.length > 0;
}

export async function deleteAssignment(
  tx: Queryable,
  a: { orgId: string; caseId: string; userId: string; role: string },
): Promise<boolean> {
  const rows = await tx.query(
    "DELETE FROM case_assignments WHERE org_id = $1 AND case_id = $2 AND user_id = $3 AND role = $4 RETURNING user_id",
    [a.orgId, a.caseId, a.userId, a.role],
  );
  return rows.length > 0;
}

export async function selectAssignments(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<AssignmentRow[]> {
  const rows = await q.query<{
    user_id: string;
    role: string;
    assigned_by: string;
    assigned_at: Date | string;
  }>(
    `SELECT user_id, role, assigned_by, assigned_at FROM case_assignments
     WHERE org_id = $1 AND case_id = $2 ORDER BY assigned_at, role`,
    [orgId, caseId],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    role: r.role,
    assignedBy: r.assigned_by,
    assignedAt: new Date(r.assigned_at),
  }));
}

/** Case ids a user is assigned to in any role. */
export async function selectCaseIdsForUser(q: Queryable, orgId: string, userId: string): Promise<string[]> {
  const rows = await q.query<{ case_id: string }>(
    "SELECT DISTINCT case_id FROM case_assignments WHERE org_id = $1 AND user_id = $2",
    [orgId, userId],
  );
  return rows.map((r) => r.case_id);
}
