/**
 * @module manage-migrations
 * Database administration for the CLI: apply migrations, or report each one as applied, pending or
 * changed (an applied migration whose file no longer matches its checksum: drift).
 */
import { openDb, type Db } from "../storage/db.ts";
import { join } from "node:path";
import { loadMigrations, migrate } from "../storage/migrate.ts";
import type { RuntimeConfig } from "./runtime.ts";

export interface MigrationState {
  name: string;
  state: "applied" | "pending" | "changed";
}

async function withDb<T>(config: RuntimeConfig, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    pgliteDir: join(config.dataDir, "pglite"),
    poolSize: 1,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function runMigrations(config: RuntimeConfig): Promise<string[]> {
  return withDb(config, migrate);
}

export function describeMigrations(config: RuntimeConfig): Promise<MigrationState[]> {
  return withDb(config, async (db) => {
    const [exists] = await db.query<{ t: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS t",
    );
    const applied = new Map(
      exists?.t
        ? (
            await db.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_migrations")
          ).map((r) => [r.name, r.checksum])
        : [],
    );
    return (await loadMigrations()).map((m) => {
      const seen = applied.get(m.name);
      return {
        name: m.name,
        state: seen === undefined ? "pending" : seen === m.checksum ? "applied" : "changed",
      };
    });
  });
}
