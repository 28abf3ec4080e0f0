/**
 * @module clock.repository
 * Case clocks and the reminders and breach notices they produce. Notices are unique per clock, kind and
 * recipient role, so a sweep that runs twice (or two sweeps at once) inserts each notice once.
 */
import type { Queryable } from "../db.ts";

export interface ClockRow {
  id: string;
  orgId: string;
  caseId: string;
  caseReference: string;
  allegationId: string | null;
  kind: string;
  startedAt: Date;
  dueAt: Date;
  metAt: Date | null;
  stoppedAt: Date | null;
}

interface RawClock {
  [k: string]: unknown;
  id: string;
  org_id: string;
  case_id: string;
  reference: string;
  allegation_id: string | null;
  kind: string;
  started_at: Date | string;
  due_at: Date | string;
  met_at: Date | string | null;
  stopped_at: Date | string | null;
}

const SELECT = `SELECT k.id, k.org_id, k.case_id, c.reference, k.allegation_id, k.kind, k.started_at, k.due_at,
  k.met_at, k.stopped_at FROM case_clocks k JOIN cases c ON c.id = k.case_id`;

const optDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toClock(r: RawClock): ClockRow {
  return {
    id: r.id,
    orgId: r.org_id,
    caseId: r.case_id,
    caseReference: r.reference,
    allegationId: r.allegation_id,
    kind: r.kind,
    startedAt: new Date(r.started_at),
    dueAt: new Date(r.due_at),
    metAt: optDate(r.met_at),
    stoppedAt: optDate(r.stopped_at),
  };
}

export async function insertClock(
  tx: Queryable,
  c: {
    orgId: string;
    caseId: string;
    allegationId: string | null;
    kind: string;
    startedAt: Date;
    dueAt: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO case_clocks (org_id, case_id, allegation_id, kind, started_at, due_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [c.orgId, c.caseId, c.allegationId, c.kind, c.startedAt.toISOString(), c.dueAt.toISOString()],
  );
  if (!row) throw new Error("insert into case_clocks returned nothing");
  return row.id;
}

export async function findClock(q: Queryable, orgId: string, clockId: string): Promise<ClockRow | undefined> {
  const [row] = await q.query<RawClock>(`${SELECT} WHERE k.org_id = $1 AND k.id = $2`, [orgId, clockId]);
  return row ? toClock(row) : undefined;
}

export async function selectClocksForCase(q: Queryable, orgId: string, caseId: string): Promise<ClockRow[]> {
  const rows = await q.query<RawClock>(
    `${SELECT} WHERE k.org_id = $1 AND k.case_id = $2 ORDER BY k.due_at, k.id`,
    [orgId, caseId],
  );
  return rows.map(toClock);
}

/** Open clocks of a case (optionally of one allegation or kind). */
export async function selectOpenClocks(
  q: Queryable,
  f: { orgId: string; caseId: string; allegationId?: string | undefined; kind?: string | undefined },
): Promise<ClockRow[]> {
  const rows = await q.query<RawClock>(
    `${SELECT} WHERE k.org_id = $1 AND k.case_id = $2 AND k.met_at IS NULL AND k.stopped_at IS NULL
       AND ($3::uuid IS NULL OR k.allegation_id = $3) AND ($4::text IS NULL OR k.kind = $4)
     ORDER BY k.due_at, k.id`,
    [f.orgId, f.caseId, f.allegationId ?? null, f.kind ?? null],
  );
  return rows.map(toClock);
}

/** Open clocks, all organisations (or one), whose deadline is before `horizon`. */
export async function selectOpenClocksDueBefore(
  q: Queryable,
  horizon: Date,
  orgId?: string,
): Promise<ClockRow[]> {
  const rows = await q.query<RawClock>(
    `${SELECT} WHERE k.met_at IS NULL AND k.stopped_at IS NULL AND k.due_at < $1 AND ($2::uuid IS NULL OR k.org_id = $2)
     ORDER BY k.due_at, k.id`,
    [horizon.toISOString(), orgId ?? null],
  );
  return rows.map(toClock);
}

export async function markClockMet(tx: Queryable, clockId: string, at: Date): Promise<boolean> {
  const rows = await tx.query(
    "UPDATE case_clocks SET met_at = $2 WHERE id = $1 AND met_at IS NULL AND stopped_at IS NULL RETURNING id",
    [clockId, at.toISOString()],
  );
  return rows.length > 0;
}

export async function markClockStopped(tx: Queryable, clockId: string, at: Date): Promise<void> {
  await tx.query(
    "UPDATE case_clocks SET stopped_at = $2 WHERE id = $1 AND met_at IS NULL AND stopped_at IS NULL",
    [clockId, at.toISOString()],
  );
}

export type NotificationKind = "clock_reminder" | "clock_breach";

/** Inserts a notice unless the same clock already produced it for that role; true when inserted. */
export async function insertNotificationOnce(
  tx: Queryable,
  n: {
    orgId: string;
    caseId: string;
    clockId: string;
    kind: NotificationKind;
    recipientRole: string;
    body: string;
    at: Date;
  },
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO case_notifications (org_id, case_id, clock_id, kind, recipient_role, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (clock_id, kind, recipient_role) DO NOTHING RETURNING id`,
    [n.orgId, n.caseId, n.clockId, n.kind, n.recipientRole, n.body, n.at.toISOString()],
  );
  return rows.length > 0;
}

export interface NotificationRow {
  id: string;
  caseId: string;
  clockId: string | null;
  kind: NotificationKind;
  recipientRole: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

/** Notices of a case, optionally only those addressed to some roles. */
export async function selectNotifications(
  q: Queryable,
  f: { orgId: string; caseId?: string | undefined; roles?: readonly string[] | undefined },
): Promise<NotificationRow[]> {
  const rows = await q.query<{
    id: string;
    case_id: string;
    clock_id: string | null;
    kind: NotificationKind;
    recipient_role: string;
    body: string;
    created_at: Date | string;
    read_at: Date | string | null;
  }>(
    `SELECT id, case_id, clock_id, kind, recipient_role, body, created_at, read_at FROM case_notifications
     WHERE org_id = $1 AND ($2::uuid IS NULL OR case_id = $2) AND ($3::text[] IS NULL OR recipient_role = ANY($3::text[]))
     ORDER BY created_at, id`,
    [f.orgId, f.caseId ?? null, f.roles ? [...f.roles] : null],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    clockId: r.clock_id,
    kind: r.kind,
    recipientRole: r.recipient_role,
    body: r.body,
    createdAt: new Date(r.created_at),
    readAt: optDate(r.read_at),
  }));
}
