/**
 * @module message.repository
 * Messages exchanged with the reporter, and investigators' notes. The two live in separate tables and
 * no query here joins them: the reporter-facing reads can only ever see `reporter_messages`.
 */
import type { Queryable } from "../db.ts";

export type MessageDirection = "to_reporter" | "from_reporter";
export type MessageKind = "message" | "acknowledgement" | "feedback" | "notice";

export interface ReporterMessageRow {
  id: string;
  caseId: string;
  reportId: string;
  direction: MessageDirection;
  kind: MessageKind;
  body: string;
  authorUserId: string | null;
  sentAt: Date;
}

interface RawMessage {
  [k: string]: unknown;
  id: string;
  case_id: string;
  report_id: string;
  direction: MessageDirection;
  kind: MessageKind;
  body: string;
  author_user_id: string | null;
  sent_at: Date | string;
}

function toMessage(r: RawMessage): ReporterMessageRow {
  return {
    id: r.id,
    caseId: r.case_id,
    reportId: r.report_id,
    direction: r.direction,
    kind: r.kind,
    body: r.body,
    authorUserId: r.author_user_id,
    sentAt: new Date(r.sent_at),
  };
}

export async function insertReporterMessage(
  tx: Queryable,
  m: {
    orgId: string;
    caseId: string;
    reportId: string;
    direction: MessageDirection;
    kind: MessageKind;
    body: string;
    authorUserId: string | null;
    sentAt: Date;
  },
): Promise<ReporterMessageRow> {
  const [row] = await tx.query<RawMessage>(
    `INSERT INTO reporter_messages (org_id, case_id, report_id, direction, kind, body, author_user_id, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING id, case_id, report_id, direction, kind, body, author_user_id, sent_at`,
    [m.orgId, m.caseId, m.reportId, m.direction, m.kind, m.body, m.authorUserId, m.sentAt.toISOString()],
  );
  if (!row) throw new Error("insert into reporter_messages returned nothing");
  return toMessage(row);
}

/** The reporter's inbox for one report, oldest first. */
export async function selectReporterMessages(
  q: Queryable,
  orgId: string,
  reportId: string,
): Promise<ReporterMessageRow[]> {
  const rows = await q.query<RawMessage>(
    `SELECT id, case_id, report_id, direction, kind, body, author_user_id, sent_at FROM reporter_messages
     WHERE org_id = $1 AND report_id = $2 ORDER BY seq`,
    [orgId, reportId],
  );
  return rows.map(toMessage);
}

export interface NoteRow {
  id: string;
  caseId: string;
  authorUserId: string;
  body: string;
  writtenAt: Date;
}

export async function insertNote(
  tx: Queryable,
  n: { orgId: string; caseId: string; authorUserId: string; body: string; writtenAt: Date },
): Promise<NoteRow> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO case_notes (org_id, case_id, author_user_id, body, written_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [n.orgId, n.caseId, n.authorUserId, n.body, n.writtenAt.toISOString()],
  );
  if (!row) throw new Error("insert into case_notes returned nothing");
  return { id: row.id, caseId: n.caseId, authorUserId: n.authorUserId, body: n.body, writtenAt: n.writtenAt };
}

export async function selectNotes(q: Queryable, orgId: string, caseId: string): Promise<NoteRow[]> {
  const rows = await q.query<{
    id: string;
    case_id: string;
    author_user_id: string;
    body: string;
    written_at: Date | string;
  }>(
    `SELECT id, case_id, author_user_id, body, written_at FROM case_notes WHERE org_id = $1 AND case_id = $2 ORDER BY written_at, id`,
    [orgId, caseId],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    authorUserId: r.author_user_id,
    body: r.body,
    writtenAt: new Date(r.written_at),
  }));
}
