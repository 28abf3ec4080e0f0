/**
 * @module conflict.repository
 * The people who appear in a case's evidence (chat participants of its acquisitions) and in its
 * subjects' management chains, and admins' decisions matching users to those people.
 */
import type { Queryable } from "../db.ts";

/** A person the case names, from one of the three sources of conflict (see CONFLICT_KEYS_SQL). */
export interface ConflictKeyRow {
  source: "chat_participant" | "management_chain" | "subject";
  key: string;
  displayName: string;
}

/**
 * Everyone case `$2` of organisation `$1` names, as one query instead of three: the participants of its
 * chat evidence, its subjects' managers and the subjects themselves, in that order (then by key order
 * within each source, as the single-source reads return them). Shared with the access gate's one-query
 * read (case-access.repository.ts).
 */
export const CONFLICT_KEYS_SQL = `
  SELECT 'chat_participant' AS source, p.author_key AS key, p.display_name, 1 AS src_order,
         p.author_key AS o1, p.export_id::text AS o2, 0 AS o3
    FROM cases c JOIN acquisitions a ON a.org_id = c.org_id AND a.case_ref = c.reference
    JOIN chat_exports e ON e.acquisition_id = a.id
    JOIN chat_participants p ON p.export_id = e.id
   WHERE c.org_id = $1 AND c.id = $2
  UNION ALL
  SELECT 'management_chain', m.name_key, m.display_name, 2, m.subject_id::text, '', m.level
    FROM subject_managers m JOIN case_subjects s ON s.id = m.subject_id
   WHERE m.org_id = $1 AND s.case_id = $2
  UNION ALL
  SELECT 'subject', s.name_key, s.display_name, 3, to_char(s.added_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS'), s.id::text, 0
    FROM case_subjects s WHERE s.org_id = $1 AND s.case_id = $2`;

/** The people case `caseId` names (CONFLICT_KEYS_SQL), in source order. */
export async function selectConflictKeyRows(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<ConflictKeyRow[]> {
  const rows = await q.query<{ source: ConflictKeyRow["source"]; key: string; display_name: string }>(
    `SELECT source, key, display_name FROM (${CONFLICT_KEYS_SQL}) k ORDER BY src_order, o1, o2, o3`,
    [orgId, caseId],
  );
  return rows.map((r) => ({ source: r.source, key: r.key, displayName: r.display_name }));
}

export type MatchStatus = "confirmed" | "cleared";

export async function upsertParticipantMatch(
  tx: Queryable,
  m: {
    orgId: string;
    userId: string;
    personKey: string;
    status: MatchStatus;
    decidedBy: string;
    at: Date;
    reason: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO user_participant_matches (org_id, user_id, person_key, status, decided_by, decided_at, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (org_id, user_id, person_key) DO UPDATE SET status = $4, decided_by = $5, decided_at = $6, reason = $7`,
    [m.orgId, m.userId, m.personKey, m.status, m.decidedBy, m.at.toISOString(), m.reason],
  );
}

export interface MatchRow {
  userId: string;
  personKey: string;
  status: MatchStatus;
  decidedBy: string;
  decidedAt: Date;
  reason: string | null;
}

/** Decided matches, for one user or for some person keys (or both). */
export async function selectParticipantMatches(
  q: Queryable,
  f: { orgId: string; userId?: string | undefined; personKeys?: readonly string[] | undefined },
): Promise<MatchRow[]> {
  const rows = await q.query<{
    user_id: string;
    person_key: string;
    status: MatchStatus;
    decided_by: string;
    decided_at: Date | string;
    reason: string | null;
  }>(
    `SELECT user_id, person_key, status, decided_by, decided_at, reason FROM user_participant_matches
     WHERE org_id = $1 AND ($2::uuid IS NULL OR user_id = $2) AND ($3::text[] IS NULL OR person_key = ANY($3::text[]))
     ORDER BY user_id, person_key`,
    [f.orgId, f.userId ?? null, f.personKeys ? [...f.personKeys] : null],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    personKey: r.person_key,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
    reason: r.reason,
  }));
}
