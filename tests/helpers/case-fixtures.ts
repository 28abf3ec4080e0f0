/** Small builders for case tests: fixed org, actors with given roles, a fixed "now". */
import { randomUUID } from "node:crypto";
import type { Actor, CaseRole } from "../../src/domain/workflow/roles.ts";
import type { Db } from "../../src/storage/db.ts";

export const ORG = "00000000-0000-0000-0000-000000000001";

export function actor(...roles: CaseRole[]): Actor {
  return { userId: randomUUID(), roles };
}

/** Every table's rows as JSON text, for "nothing identifying is stored anywhere" assertions. */
export async function dumpAllTables(db: Db): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t.table_name}" x`);
    parts.push(...rows.map((r) => `${t.table_name}: ${r.j}`));
  }
  return parts.join("\n");
}

/**
 * Writes the minimum rows of an acquired and parsed chat export for a case: the acquisition, the
 * export, its participants and (optionally) zip members with the given image hashes.
 */
export async function insertChatEvidence(
  db: Db,
  e: { caseRef: string; participants: { key: string; name: string }[]; imageSha256?: string[] },
): Promise<{ acquisitionId: string; exportId: string }> {
  const [acq] = await db.query<{ id: string }>(
    `INSERT INTO acquisitions (org_id, case_ref, sha256, size_bytes, original_name, media_type, acquired_by, acquired_at, method, scope_statement)
     VALUES ($1, $2, $3, 10, 'chat.zip', 'application/zip', 'test', now(), 'upload', 'one group') RETURNING id`,
    [ORG, e.caseRef, "a".repeat(64)],
  );
  const acquisitionId = acq?.id ?? "";
  const [exp] = await db.query<{ id: string }>(
    `INSERT INTO chat_exports (org_id, acquisition_id, parser_version, format, variant, date_order, date_order_status,
       date_order_evidence, record_count, message_count, system_count, out_of_order_count)
     VALUES ($1, $2, 'test', 'whatsapp', 'android', 'dmy', 'inferred', 'test', 0, 0, 0, 0) RETURNING id`,
    [ORG, acquisitionId],
  );
  const exportId = exp?.id ?? "";
  for (const p of e.participants) {
    await db.query(
      `INSERT INTO chat_participants (org_id, export_id, author_key, display_name, message_count) VALUES ($1, $2, $3, $4, 1)`,
      [ORG, exportId, p.key, p.name],
    );
  }
  for (const [i, sha] of (e.imageSha256 ?? []).entries()) {
    await db.query(
      `INSERT INTO archive_members (org_id, acquisition_id, path, sha256, size_bytes, role) VALUES ($1, $2, $3, $4, 1, 'media')`,
      [ORG, acquisitionId, `IMG-${i}.jpg`, sha],
    );
  }
  return { acquisitionId, exportId };
}
