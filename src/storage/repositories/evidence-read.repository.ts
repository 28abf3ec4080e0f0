/**
 * @module evidence-read.repository
 * Reads parsed chat records of one acquisition, a page at a time, for the evidence viewer.
 */
import { text, textOrNull } from "../row-values.ts";
import type { Queryable } from "../db.ts";

export interface EvidenceRecordRow {
  idx: number;
  ts: string;
  author: string | null;
  kind: string;
  body: string;
  attachments: string[];
  deleted: boolean;
  edited: boolean;
}

export async function selectRecordsOfAcquisition(
  q: Queryable,
  orgId: string,
  acquisitionId: string,
  page: { offset: number; limit: number },
): Promise<{ exportId: string | null; total: number; records: EvidenceRecordRow[] }> {
  const [exp] = await q.query(
    `SELECT e.id, e.record_count FROM chat_exports e WHERE e.org_id = $1 AND e.acquisition_id = $2
     ORDER BY e.parsed_at DESC LIMIT 1`,
    [orgId, acquisitionId],
  );
  if (!exp) {
    return { exportId: null, total: 0, records: [] };
  }
  const rows = await q.query(
    `SELECT idx, ts, author, kind, body, attachments, deleted, edited FROM chat_records
     WHERE export_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3`,
    [exp.id, page.offset, page.limit],
  );
  return {
    exportId: text(exp.id),
    total: Number(exp.record_count),
    records: rows.map((r) => ({
      idx: Number(r.idx),
      ts: text(r.ts),
      author: textOrNull(r.author),
      kind: text(r.kind),
      body: text(r.body),
      attachments: Array.isArray(r.attachments) ? r.attachments.map(String) : [],
      deleted: r.deleted === true,
      edited: r.edited === true,
    })),
  };
}
