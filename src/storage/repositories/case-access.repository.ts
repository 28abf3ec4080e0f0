/**
 * @module case-access.repository
 * The facts the access gate reads about a case: whether it exists and where it stands, whether a user is
 * assigned, and the people its evidence names (chat participants, subjects, subjects' managers) for the
 * conflict check. Reads the case-domain tables (0100_cases.sql) and the evidence tables (0001).
 */
import { date, dateOrNull, text } from "../row-values.ts";
import type { Queryable } from "../db.ts";
import { CONFLICT_KEYS_SQL, type ConflictKeyRow, type MatchStatus } from "./conflict.repository.ts";

/** States in which a case still sits with intake (the intake officer's queue). */
const INTAKE_STATES = ["received", "triage"];

/** Everything the access gate needs about one case and one user, read in one round trip. */
export interface CaseAccessRow {
  reference: string;
  referred: boolean;
  inIntake: boolean;
  /** The user holds some assignment on the case. */
  assigned: boolean;
  /** The people the case names (CONFLICT_KEYS_SQL), in source order. */
  conflictKeys: ConflictKeyRow[];
  /** Administrators' confirm/clear decisions about this user. */
  userMatches: { personKey: string; status: MatchStatus }[];
}

/**
 * The access gate's read: case state for the role-wide rules, the user's assignment, the case's conflict
 * keys and the user's match decisions. One statement (one snapshot), not the six separate reads it
 * replaces: the gate runs on every case request.
 */
export async function selectCaseAccess(
  q: Queryable,
  orgId: string,
  caseId: string,
  userId: string,
): Promise<CaseAccessRow | null> {
  const [row] = await q.query(
    `SELECT c.reference,
       EXISTS (SELECT 1 FROM allegations a JOIN allegation_transitions t ON t.allegation_id = a.id
               WHERE a.case_id = c.id AND t.to_state = 'referred') AS referred,
       NOT EXISTS (SELECT 1 FROM allegations a WHERE a.case_id = c.id AND NOT (a.state = ANY($4::text[]))) AS in_intake,
       EXISTS (SELECT 1 FROM case_assignments ca WHERE ca.org_id = c.org_id AND ca.case_id = c.id AND ca.user_id = $3) AS assigned,
       (SELECT coalesce(json_agg(json_build_array(k.source, k.key, k.display_name)
                                 ORDER BY k.src_order, k.o1, k.o2, k.o3), '[]')
          FROM (${CONFLICT_KEYS_SQL}) k) AS conflict_keys,
       (SELECT coalesce(json_agg(json_build_array(m.person_key, m.status)), '[]')
          FROM user_participant_matches m WHERE m.org_id = c.org_id AND m.user_id = $3) AS user_matches
     FROM cases c WHERE c.org_id = $1 AND c.id = $2`,
    [orgId, caseId, userId, INTAKE_STATES],
  );
  if (!row) {
    return null;
  }
  const keys = jsonTuples(row.conflict_keys);
  const matches = jsonTuples(row.user_matches);
  return {
    reference: text(row.reference),
    referred: row.referred === true,
    inIntake: row.in_intake === true,
    assigned: row.assigned === true,
    conflictKeys: keys.map(([source, key, displayName]) => ({
      source: source as ConflictKeyRow["source"],
      key: key ?? "",
      displayName: displayName ?? "",
    })),
    userMatches: matches.map(([personKey, status]) => ({
      personKey: personKey ?? "",
      status: status === "confirmed" ? "confirmed" : "cleared",
    })),
  };
}

/** A json_agg of string arrays (parsed by the driver, or still text): anything else reads as absent. */
function jsonTuples(v: unknown): (string | undefined)[][] {
  const parsed: unknown = typeof v === "string" ? JSON.parse(v) : v;
  if (!Array.isArray(parsed)) {
    return [];
  }
  return parsed.map((t: unknown) =>
    Array.isArray(t) ? t.map((x: unknown) => (typeof x === "string" ? x : undefined)) : [],
  );
}

/** Cases that some role reaches without an assignment: referred ones, or those still with intake. */
export async function selectCaseIdsByRule(
  q: Queryable,
  orgId: string,
  rule: "referred" | "in_intake",
): Promise<string[]> {
  const rows =
    rule === "referred"
      ? await q.query(
          `SELECT DISTINCT a.case_id FROM allegations a JOIN allegation_transitions t ON t.allegation_id = a.id
           WHERE a.org_id = $1 AND t.to_state = 'referred'`,
          [orgId],
        )
      : await q.query(
          `SELECT c.id AS case_id FROM cases c WHERE c.org_id = $1 AND c.closed_at IS NULL AND NOT EXISTS
             (SELECT 1 FROM allegations a WHERE a.case_id = c.id AND NOT (a.state = ANY($2::text[])))`,
          [orgId, INTAKE_STATES],
        );
  return rows.map((r) => text(r.case_id));
}

export interface CaseSummaryRow {
  id: string;
  reference: string;
  title: string;
  openedAt: Date;
  closedAt: Date | null;
}

export async function selectCaseSummaries(
  q: Queryable,
  orgId: string,
  ids: readonly string[],
): Promise<CaseSummaryRow[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await q.query(
    `SELECT id, reference, title, opened_at, closed_at FROM cases WHERE org_id = $1 AND id = ANY($2::uuid[])
     ORDER BY opened_at DESC`,
    [orgId, [...ids]],
  );
  return rows.map((r) => ({
    id: text(r.id),
    reference: text(r.reference),
    title: text(r.title),
    openedAt: date(r.opened_at),
    closedAt: dateOrNull(r.closed_at),
  }));
}

/** The case a triage decision belongs to (through its allegation). */
export async function selectCaseOfTriageDecision(
  q: Queryable,
  orgId: string,
  decisionId: string,
): Promise<string | null> {
  const [row] = await q.query(
    "SELECT a.case_id FROM triage_decisions d JOIN allegations a ON a.id = d.allegation_id WHERE d.org_id = $1 AND d.id = $2",
    [orgId, decisionId],
  );
  return row ? text(row.case_id) : null;
}

/** The case an allegation or a clock belongs to. */
export async function selectCaseOf(
  q: Queryable,
  orgId: string,
  kind: "allegation" | "clock",
  id: string,
): Promise<string | null> {
  const table = kind === "allegation" ? "allegations" : "case_clocks";
  const [row] = await q.query(`SELECT case_id FROM ${table} WHERE org_id = $1 AND id = $2`, [orgId, id]);
  return row ? text(row.case_id) : null;
}
