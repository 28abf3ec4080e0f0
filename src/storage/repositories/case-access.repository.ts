/**
 * @module case-access.repository
 * The facts the access gate reads about a case: whether it exists and where it stands, whether a user is
 * assigned, and the people its evidence names (chat participants, subjects, subjects' managers) for the
 * conflict check. Reads the case-domain tables (0100_cases.sql) and the evidence tables (0001).
 */
import { date, dateOrNull, text } from "../row-values.ts";
import type { Queryable } from "../db.ts";

/** States in which a case still sits with intake (the intake officer's queue). */
const INTAKE_STATES = ["received", "triage"];

export async function selectCaseAccessFacts(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<{ reference: string; referred: boolean; inIntake: boolean } | null> {
  const [row] = await q.query(
    `SELECT c.reference,
       EXISTS (SELECT 1 FROM allegations a JOIN allegation_transitions t ON t.allegation_id = a.id
               WHERE a.case_id = c.id AND t.to_state = 'referred') AS referred,
       NOT EXISTS (SELECT 1 FROM allegations a WHERE a.case_id = c.id AND NOT (a.state = ANY($3::text[]))) AS in_intake
     FROM cases c WHERE c.org_id = $1 AND c.id = $2`,
    [orgId, caseId, INTAKE_STATES],
  );
  if (!row) {
    return null;
  }
  return {
    reference: text(row.reference),
    referred: row.referred === true,
    inIntake: row.in_intake === true,
  };
}

export async function selectIsAssigned(
  q: Queryable,
  orgId: string,
  caseId: string,
  userId: string,
): Promise<boolean> {
  const rows = await q.query(
    "SELECT 1 FROM case_assignments WHERE org_id = $1 AND case_id = $2 AND user_id = $3 LIMIT 1",
    [orgId, caseId, userId],
  );
  return rows.length > 0;
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
