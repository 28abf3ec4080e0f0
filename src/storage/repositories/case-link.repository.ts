/**
 * @module case-link.repository
 * Finds other cases that share a person or an image with a given case. People are matched on their
 * normalised key as a subject or as a chat participant (via acquisitions.case_ref); images on sha256
 * (zip members, message attachments, victims items) and on an exactly equal perceptual hash (victims
 * items). Only cases in `allowedCaseIds` are returned: the access filter is part of the query.
 */
import type { Queryable } from "../db.ts";

export interface LinkRow {
  otherCaseId: string;
  otherReference: string;
  kind: "person" | "image";
  key: string;
  /** How the key appears in this case and in the other: subject, chat_participant, sha256, phash. */
  here: string;
  there: string;
  /** Perceptual-hash links only: differing bits (0 = identical hash). */
  distance?: number;
}

const PERSON_KEYS = `
  SELECT s.case_id, s.name_key AS key, 'subject' AS via FROM case_subjects s WHERE s.org_id = $1
  UNION
  SELECT c.id, p.author_key, 'chat_participant' FROM chat_participants p
    JOIN chat_exports e ON e.id = p.export_id
    JOIN acquisitions a ON a.id = e.acquisition_id
    JOIN cases c ON c.org_id = a.org_id AND c.reference = a.case_ref
    WHERE p.org_id = $1`;

const IMAGE_KEYS = `
  SELECT c.id AS case_id, m.sha256::text AS key, 'sha256' AS via FROM archive_members m
    JOIN acquisitions a ON a.id = m.acquisition_id
    JOIN cases c ON c.org_id = a.org_id AND c.reference = a.case_ref
    WHERE m.org_id = $1 AND m.role = 'media'
  UNION
  SELECT c.id, r.sha256::text, 'sha256' FROM record_attachments r
    JOIN chat_exports e ON e.id = r.export_id
    JOIN acquisitions a ON a.id = e.acquisition_id
    JOIN cases c ON c.org_id = a.org_id AND c.reference = a.case_ref
    WHERE r.org_id = $1 AND r.sha256 IS NOT NULL
  UNION
  SELECT v.case_id, v.image_sha256::text, 'sha256' FROM victim_items v WHERE v.org_id = $1 AND v.image_sha256 IS NOT NULL
  UNION
  SELECT v.case_id, v.image_phash, 'phash' FROM victim_items v WHERE v.org_id = $1 AND v.image_phash IS NOT NULL`;

/** Links from one case to the allowed others. */
export async function selectCaseLinks(
  q: Queryable,
  f: { orgId: string; caseId: string; allowedCaseIds: readonly string[] },
): Promise<LinkRow[]> {
  if (f.allowedCaseIds.length === 0) return [];
  const rows = await q.query<{
    case_id: string;
    reference: string;
    kind: "person" | "image";
    key: string;
    here: string;
    there: string;
  }>(
    `WITH persons AS (${PERSON_KEYS}), images AS (${IMAGE_KEYS}),
     keyed AS (
       SELECT case_id, key, via, 'person' AS kind FROM persons WHERE key <> ''
       UNION ALL SELECT case_id, key, via, 'image' FROM images
     )
     SELECT DISTINCT k2.case_id, c.reference, k1.kind, k1.key, k1.via AS here, k2.via AS there
     FROM keyed k1
     JOIN keyed k2 ON k2.kind = k1.kind AND k2.key = k1.key AND k2.case_id <> k1.case_id
     JOIN cases c ON c.id = k2.case_id
     WHERE k1.case_id = $2 AND k2.case_id = ANY($3::uuid[])
     ORDER BY c.reference, k1.kind, k1.key, here, there`,
    [f.orgId, f.caseId, [...f.allowedCaseIds]],
  );
  return rows.map((r) => ({
    otherCaseId: r.case_id,
    otherReference: r.reference,
    kind: r.kind,
    key: r.key,
    here: r.here,
    there: r.there,
  }));
}

/** Perceptual hashes of victims items in some cases (with each case's reference). */
export async function selectVictimPhashes(
  q: Queryable,
  orgId: string,
  caseIds: readonly string[],
): Promise<{ caseId: string; reference: string; phash: string }[]> {
  if (caseIds.length === 0) return [];
  const rows = await q.query<{ case_id: string; reference: string; image_phash: string }>(
    `SELECT DISTINCT v.case_id, c.reference, v.image_phash FROM victim_items v JOIN cases c ON c.id = v.case_id
     WHERE v.org_id = $1 AND v.case_id = ANY($2::uuid[]) AND v.image_phash IS NOT NULL`,
    [orgId, [...caseIds]],
  );
  return rows.map((r) => ({ caseId: r.case_id, reference: r.reference, phash: r.image_phash }));
}
