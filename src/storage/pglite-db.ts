/**
 * PGlite adapter. Constraints that shape it: PGlite is a single connection, so a transaction holds the
 * whole database until it ends (other callers queue inside PGlite); multi-statement SQL must go through
 * `exec`; LISTEN/NOTIFY does not cross PGlite instances.
 */
import { PGlite, types } from "@electric-sql/pglite";
import type { Db, Queryable, Row } from "./db-port.ts";

async function startPglite(dataDir?: string, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    // Same value shapes as the server adapter: wall-clock timestamps stay text, int8 becomes a number.
    parsers: { [types.TIMESTAMP]: (v: string) => v, [types.INT8]: (v: string) => Number(v) },
  });
}

function wrap(pg: PGlite, description: string): Db {
  const query = async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]> =>
    (await pg.query<R>(sql, params ? [...params] : [])).rows;
  return {
    description,
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
      pg.transaction(async (tx) =>
        fn({
          query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<R>(sql, params ? [...params] : [])).rows,
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      ),
    // pg-boss sends multi-statement scripts (its schema, its migrations) without parameters; PGlite's
    // extended protocol refuses those, so parameterless SQL goes through `exec` and we return the rows of
    // the last statement, which is what node-postgres gives pg-boss for a single statement.
    executeSql: async (text, values) => {
      if (values && values.length > 0) return { rows: (await pg.query<Row>(text, values)).rows };
      const results = await pg.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
    close: () => pg.close(),
  };
}

export async function createPgliteDb(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  const pg = await startPglite(dataDir, loadDataDir);
  return wrap(pg, dataDir ? `embedded PGlite (${dataDir})` : "embedded PGlite (in memory)");
}

/**
 * Creates an in-memory PGlite, runs `prepare` on it (migrations) and returns a dump of its data
 * directory. Tests clone this golden database per file instead of running initdb each time.
 */
export async function dumpPreparedPglite(prepare: (db: Db) => Promise<void>): Promise<Blob> {
  const pg = await startPglite();
  await prepare(wrap(pg, "golden"));
  const dump = await pg.dumpDataDir("none");
  await pg.close();
  return dump;
}
