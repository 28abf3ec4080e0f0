/**
 * @module conflict.repository
 * The people who appear in a case's evidence (chat participants of its acquisitions) and in its
 * subjects' management chains, and admins' decisions matching users to those people.
 */
import type { Queryable } from "../db.ts";

export interface ParticipantKeyRow {
  personKey: string;
  displayName: string;
  exportId: string;
}

/** Participants of every chat export acquired for the case (acquisitions.case_ref = the case reference). */
export async function selectCaseParticipants(
  q: Queryable,
  orgId: string,
  caseReference: string,
): Promise<ParticipantKeyRow[]> {
  const rows = await q.query<{ author_key: string; display_name: string; export_id: string }>(
    `SELECT p.author_key, p.display_name, p.export_id FROM chat_participants p
     JOIN chat_exports e ON e.id = p.export_id
     JOIN acquisitions a ON a.id = e.acquisition_id
     WHERE a.org_id = $1 AND a.case_ref = $2 ORDER BY p.author_key, p.export_id`,
    [orgId, caseReference],
  );
  return rows.map((r) => ({ personKey: r.author_key, displayName: r.display_name, exportId: r.export_id }));
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
