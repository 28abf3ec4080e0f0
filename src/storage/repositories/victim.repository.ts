/**
 * @module victim.repository
 * Items catalogued on the victims track: an image (by sha256 or perceptual hash) or a message (by
 * export and record index), each with identification, notification decision and referral.
 */
import type { Queryable } from "../db.ts";

export interface VictimItemRow {
  id: string;
  caseId: string;
  itemKind: "image" | "message";
  imageSha256: string | null;
  imagePhash: string | null;
  exportId: string | null;
  recordIdx: number | null;
  description: string;
  identificationStatus: string;
  identifiedPerson: string | null;
  notificationDecision: string | null;
  notificationReason: string | null;
  offenceSuspected: string | null;
  referredTo: string | null;
}

interface Raw {
  [k: string]: unknown;
  id: string;
  case_id: string;
  item_kind: "image" | "message";
  image_sha256: string | null;
  image_phash: string | null;
  export_id: string | null;
  record_idx: number | null;
  description: string;
  identification_status: string;
  identified_person: string | null;
  notification_decision: string | null;
  notification_reason: string | null;
  offence_suspected: string | null;
  referred_to: string | null;
}

const COLS = `id, case_id, item_kind, image_sha256, image_phash, export_id, record_idx, description, identification_status,
  identified_person, notification_decision, notification_reason, offence_suspected, referred_to`;

function toItem(r: Raw): VictimItemRow {
  return {
    id: r.id,
    caseId: r.case_id,
    itemKind: r.item_kind,
    imageSha256: r.image_sha256,
    imagePhash: r.image_phash,
    exportId: r.export_id,
    recordIdx: r.record_idx === null ? null : Number(r.record_idx),
    description: r.description,
    identificationStatus: r.identification_status,
    identifiedPerson: r.identified_person,
    notificationDecision: r.notification_decision,
    notificationReason: r.notification_reason,
    offenceSuspected: r.offence_suspected,
    referredTo: r.referred_to,
  };
}

export async function insertVictimItem(
  tx: Queryable,
  v: {
    orgId: string;
    caseId: string;
    itemKind: "image" | "message";
    imageSha256: string | null;
    imagePhash: string | null;
    exportId: string | null;
    recordIdx: number | null;
    description: string;
    cataloguedBy: string;
    at: Date;
  },
): Promise<VictimItemRow> {
  const [row] = await tx.query<Raw>(
    `INSERT INTO victim_items (org_id, case_id, item_kind, image_sha256, image_phash, export_id, record_idx, description,
       identification_status, catalogued_by, catalogued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'not_attempted', $9, $10) RETURNING ${COLS}`,
    [
      v.orgId,
      v.caseId,
      v.itemKind,
      v.imageSha256,
      v.imagePhash,
      v.exportId,
      v.recordIdx,
      v.description,
      v.cataloguedBy,
      v.at.toISOString(),
    ],
  );
  if (!row) throw new Error("insert into victim_items returned nothing");
  return toItem(row);
}

export async function findVictimItem(
  q: Queryable,
  orgId: string,
  itemId: string,
  forUpdate = false,
): Promise<VictimItemRow | undefined> {
  const [row] = await q.query<Raw>(
    `SELECT ${COLS} FROM victim_items WHERE org_id = $1 AND id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [orgId, itemId],
  );
  return row ? toItem(row) : undefined;
}

export async function selectVictimItems(
  q: Queryable,
  orgId: string,
  caseId: string,
): Promise<VictimItemRow[]> {
  const rows = await q.query<Raw>(
    `SELECT ${COLS} FROM victim_items WHERE org_id = $1 AND case_id = $2 ORDER BY catalogued_at, id`,
    [orgId, caseId],
  );
  return rows.map(toItem);
}

export async function updateVictimIdentification(
  tx: Queryable,
  u: { itemId: string; status: string; identifiedPerson: string | null },
): Promise<void> {
  await tx.query("UPDATE victim_items SET identification_status = $2, identified_person = $3 WHERE id = $1", [
    u.itemId,
    u.status,
    u.identifiedPerson,
  ]);
}

export async function updateVictimNotification(
  tx: Queryable,
  u: { itemId: string; decision: string; reason: string; by: string; at: Date },
): Promise<void> {
  await tx.query(
    "UPDATE victim_items SET notification_decision = $2, notification_reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
    [u.itemId, u.decision, u.reason, u.by, u.at.toISOString()],
  );
}

export async function updateVictimReferral(
  tx: Queryable,
  u: { itemId: string; offence: string; referredTo: string; at: Date },
): Promise<void> {
  await tx.query(
    "UPDATE victim_items SET offence_suspected = $2, referred_to = $3, referred_at = $4 WHERE id = $1",
    [u.itemId, u.offence, u.referredTo, u.at.toISOString()],
  );
}
