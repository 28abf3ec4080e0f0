/**
 * @module allegation.repository
 * Subjects, their management chains, allegations and each allegation's state history.
 */
import type { Queryable } from "../db.ts";

export interface SubjectRow {
  id: string;
  caseId: string;
  displayName: string;
  nameKey: string;
  status: string;
  roleTitle: string | null;
}

export async function insertSubject(
  tx: Queryable,
  s: {
    orgId: string;
    caseId: string;
    displayName: string;
    nameKey: string;
    status: string;
    roleTitle: string | null;
    at: Date;
  },
): Promise<SubjectRow> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO case_subjects (org_id, case_id, display_name, name_key, status, role_title, added_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [s.orgId, s.caseId, s.displayName, s.nameKey, s.status, s.roleTitle, s.at.toISOString()],
  );
  if (!row) throw new Error("insert into case_subjects returned nothing");
  return {
    id: row.id,
    caseId: s.caseId,
    displayName: s.displayName,
    nameKey: s.nameKey,
    status: s.status,
    roleTitle: s.roleTitle,
  };
}

export async function selectSubjects(q: Queryable, orgId: string, caseId: string): Promise<SubjectRow[]> {
  const rows = await q.query<{
    id: string;
    case_id: string;
    display_name: string;
    name_key: string;
    status: string;
    role_title: string | null;
  }>(
    `SELECT id, case_id, display_name, name_key, status, role_title FROM case_subjects
     WHERE org_id = $1 AND case_id = $2 ORDER BY added_at, id`,
    [orgId, caseId],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    displayName: r.display_name,
    nameKey: r.name_key,
    status: r.status,
    roleTitle: r.role_title,
  }));
}

export async function insertManager(
  tx: Queryable,
  m: { orgId: string; subjectId: string; level: number; displayName: string; nameKey: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO subject_managers (org_id, subject_id, level, display_name, name_key) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [m.orgId, m.subjectId, m.level, m.displayName, m.nameKey],
  );
}

export interface AllegationRow {
  id: string;
  orgId: string;
  caseId: string;
  caseReference: string;
  workflowId: string;
  subjectId: string;
  regime: string;
  state: string;
  summary: string;
  severity: string | null;
  createdAt: Date;
  caseOpenedAt: Date;
}

interface RawAllegation {
  [k: string]: unknown;
  id: string;
  org_id: string;
  case_id: string;
  reference: string;
  workflow_id: string;
  subject_id: string;
  regime: string;
  state: string;
  summary: string;
  severity: string | null;
  created_at: Date | string;
  opened_at: Date | string;
}

function toAllegation(r: RawAllegation): AllegationRow {
  return {
    id: r.id,
    orgId: r.org_id,
    caseId: r.case_id,
    caseReference: r.reference,
    workflowId: r.workflow_id,
    subjectId: r.subject_id,
    regime: r.regime,
    state: r.state,
    summary: r.summary,
    severity: r.severity,
    createdAt: new Date(r.created_at),
    caseOpenedAt: new Date(r.opened_at),
  };
}

const ALLEGATION_SELECT = `SELECT a.id, a.org_id, a.case_id, c.reference, c.workflow_id, a.subject_id, a.regime, a.state,
  a.summary, a.severity, a.created_at, c.opened_at FROM allegations a JOIN cases c ON c.id = a.case_id`;

/** Inserts an allegation; returns undefined when the subject already has one under this regime. */
export async function insertAllegation(
  tx: Queryable,
  a: {
    orgId: string;
    caseId: string;
    subjectId: string;
    regime: string;
    state: string;
    summary: string;
    at: Date;
  },
): Promise<string | undefined> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO allegations (org_id, case_id, subject_id, regime, state, summary, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (subject_id, regime) DO NOTHING RETURNING id`,
    [a.orgId, a.caseId, a.subjectId, a.regime, a.state, a.summary, a.at.toISOString()],
  );
  return row?.id;
}

/** One allegation; `forUpdate` locks its row for the rest of the transaction (one move at a time). */
export async function findAllegation(
  q: Queryable,
  orgId: string,
  allegationId: string,
  forUpdate = false,
): Promise<AllegationRow | undefined> {
  const [row] = await q.query<RawAllegation>(
    `${ALLEGATION_SELECT} WHERE a.org_id = $1 AND a.id = $2${forUpdate ? " FOR UPDATE OF a" : ""}`,
    [orgId, allegationId],
  );
  return row ? toAllegation(row) : undefined;
}

export async function selectAllegations(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<AllegationRow[]> {
  const rows = await q.query<RawAllegation>(
    `${ALLEGATION_SELECT} WHERE a.org_id = $1 AND a.case_id = $2 ORDER BY a.created_at, a.id`,
    [orgId, caseId],
  );
  return rows.map(toAllegation);
}

export async function updateAllegationState(
  tx: Queryable,
  a: { allegationId: string; state: string; severity?: string | undefined; at: Date },
): Promise<void> {
  await tx.query(
    "UPDATE allegations SET state = $2, severity = COALESCE($3, severity), updated_at = $4 WHERE id = $1",
    [a.allegationId, a.state, a.severity ?? null, a.at.toISOString()],
  );
}

export async function insertTransition(
  tx: Queryable,
  t: {
    orgId: string;
    allegationId: string;
    from: string;
    to: string;
    actorUserId: string;
    reason: string | null;
    details: unknown;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO allegation_transitions (org_id, allegation_id, from_state, to_state, actor_user_id, reason, details, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      t.orgId,
      t.allegationId,
      t.from,
      t.to,
      t.actorUserId,
      t.reason,
      JSON.stringify(t.details ?? {}),
      t.at.toISOString(),
    ],
  );
}

export interface TransitionRow {
  from: string;
  to: string;
  actorUserId: string;
  reason: string | null;
  occurredAt: Date;
}

export async function selectTransitions(
  q: Queryable,
  orgId: string,
  allegationId: string,
): Promise<TransitionRow[]> {
  const rows = await q.query<{
    from_state: string;
    to_state: string;
    actor_user_id: string;
    reason: string | null;
    occurred_at: Date | string;
  }>(
    `SELECT from_state, to_state, actor_user_id, reason, occurred_at FROM allegation_transitions
     WHERE org_id = $1 AND allegation_id = $2 ORDER BY occurred_at, id`,
    [orgId, allegationId],
  );
  return rows.map((r) => ({
    from: r.from_state,
    to: r.to_state,
    actorUserId: r.actor_user_id,
    reason: r.reason,
    occurredAt: new Date(r.occurred_at),
  }));
}
