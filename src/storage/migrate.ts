/**
 * @module migrate
 * Applies the plain-SQL migrations in storage/migrations (NNNN_description.sql) in name order, each in
 * its own transaction, recording name and checksum. An advisory lock keeps two processes starting at once
 * on one server from racing. A changed checksum for an applied migration is refused (drift).
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { AppError } from "../contract/errors.ts";
import type { Db } from "./db.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const LOCK_KEY = 7_413_201; // arbitrary constant shared by all upstander processes

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(): Promise<Migration[]> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => /^\d{4}_[\w-]+\.sql$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(new URL(name, MIGRATIONS_DIR), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Brings the schema up to date. Returns the names applied by this call.
 * @throws AppError CONFIG_INVALID when an applied migration's file has changed since.
 */
export async function migrate(db: Db): Promise<string[]> {
  const migrations = await loadMigrations();
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, checksum char(64) NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
  });
  const done: string[] = [];
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      // Transaction-scoped lock: two processes starting together apply each migration once.
      await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      const [seen] = await tx.query<{ checksum: string }>(
        "SELECT checksum FROM schema_migrations WHERE name = $1",
        [m.name],
      );
      if (seen) {
        if (seen.checksum !== m.checksum) {
          throw new AppError("CONFIG_INVALID", {
            userMessage: `migration ${m.name} was changed after it was applied; add a new migration instead`,
          });
        }
        return;
      }
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [m.name, m.checksum]);
      done.push(m.name);
    });
  }
  return done;
}
