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
