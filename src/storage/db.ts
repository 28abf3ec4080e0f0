/**
 * @module db
 * The narrow database port. Everything above storage/ talks to `Db`; only this folder knows whether it
 * is PGlite (embedded, default) or a PostgreSQL server (`DATABASE_URL`). Both run the same SQL.
 */
import { mkdir } from "node:fs/promises";

export type { Db, DbConfig, Queryable, Row } from "./db-port.ts";
import type { Db, DbConfig } from "./db-port.ts";
import { withLedgerChaining } from "./ledger-chaining-db.ts";

/**
 * Opens the engine the configuration asks for, wrapped so that ledger events written to the outbox
 * are chained right after their transaction commits (ledger-chaining-db.ts).
 */
export async function openDb(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) {
    const { createPostgresDb } = await import("./postgres-db.ts");
    return withLedgerChaining(createPostgresDb(config.databaseUrl, config.poolSize ?? 10));
  }
  const { createPgliteDb } = await import("./pglite-db.ts");
  if (config.pgliteDir) {
    await mkdir(config.pgliteDir, { recursive: true });
  }
  return withLedgerChaining(await createPgliteDb(config.pgliteDir, config.pgliteLoadDataDir));
}
