/** PostgreSQL server adapter over a node-postgres pool. */
import pg from "pg";
import type { Db, Queryable, Row } from "./db-port.ts";

// Keep `timestamp without time zone` (a wall-clock time as written in an export) as text: node-postgres
// would otherwise turn it into a JS Date in the server's zone, inventing a zone the evidence never had.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => v);
// int8 counts fit in a JS number for everything we store (row counts, byte offsets < 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPostgresDb(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const query = async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]> =>
    (await pool.query<R>(sql, params ? [...params] : [])).rows;
  return {
    description: `PostgreSQL (${new URL(url).host}${new URL(url).pathname})`,
    query,
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
            (await client.query<R>(sql, params ? [...params] : [])).rows,
          exec: async (sql: string) => {
            await client.query(sql);
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    executeSql: async (text, values) => ({ rows: (await pool.query<Row>(text, values ?? [])).rows }),
    close: () => pool.end(),
  };
}
