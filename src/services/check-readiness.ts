/**
 * @module check-readiness
 * Whether the database answers and every migration this build ships has been applied.
 */
import type { Db } from "../storage/db.ts";
import { loadMigrations } from "../storage/migrate.ts";

export async function checkReadiness(
  db: Db,
): Promise<{ ready: boolean; database: string; pendingMigrations: string[] }> {
  try {
    const applied = new Set(
      (await db.query<{ name: string }>("SELECT name FROM schema_migrations")).map((r) => String(r.name)),
    );
    const pending = (await loadMigrations()).map((m) => m.name).filter((n) => !applied.has(n));
    return { ready: pending.length === 0, database: "reachable", pendingMigrations: pending };
  } catch {
    return { ready: false, database: "unreachable", pendingMigrations: [] };
  }
}
