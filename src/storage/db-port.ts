/**
 * @module db-port
 * The narrow database port (types only). See db.ts for how an engine is chosen.
 */

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
