/**
 * @module db
 * The narrow database port. Everything above storage/ talks to `Db`; only this folder knows whether it
 * is PGlite (embedded, default) or a PostgreSQL server (`DATABASE_URL`). Both run the same SQL.
 */
import { mkdir } from "node:fs/promises";

/** A row as returned by the driver; repositories parse it into typed values. */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Short description for logs and `doctor` output, e.g. "embedded (./data/pglite)". */
  readonly description: string;
  /**
   * The pg-boss adapter needs a raw executor; exposed here so jobs/ never imports a driver.
   * Returns `{ rows }` like node-postgres.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  close(): Promise<void>;
}

export interface DbConfig {
  /** A PostgreSQL connection string; when absent the embedded engine is used. */
  databaseUrl?: string | undefined;
  /** Directory for the embedded engine's files (ignored with databaseUrl). */
  pgliteDir?: string | undefined;
  /** A PGlite data-dir dump (tar) to start from instead of an empty database (tests). */
  pgliteLoadDataDir?: Blob | undefined;
  /** Pool size for the server engine. */
  poolSize?: number | undefined;
}

/** Opens the engine the configuration asks for. */
export async function openDb(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) {
    const { createPostgresDb } = await import("./postgres-db.ts");
    return createPostgresDb(config.databaseUrl, config.poolSize ?? 10);
  }
  const { createPgliteDb } = await import("./pglite-db.ts");
  if (config.pgliteDir) await mkdir(config.pgliteDir, { recursive: true });
  return createPgliteDb(config.pgliteDir, config.pgliteLoadDataDir);
}
