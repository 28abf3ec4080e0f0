/**
 * @module test-databases
 * Fresh, migrated databases for tests, on whichever engine the run uses: PGlite by default, or the
 * PostgreSQL server named by DATABASE_URL (CI runs the whole suite on both). Lives in storage/ because
 * it is the only layer allowed to know the engines apart.
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import pg from "pg";
import { openDb, type Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { dumpPreparedPglite } from "./pglite-db.ts";

export interface TestDbEnv {
  /** Server URL when the suite runs on PostgreSQL. */
  databaseUrl?: string | undefined;
  /** Path of the golden PGlite dump (PGlite runs) or the template database name (server runs). */
  golden: string;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Global setup: builds the golden database once per test run. */
export async function prepareGolden(databaseUrl: string | undefined, dumpPath: string): Promise<TestDbEnv> {
  if (databaseUrl) {
    const tpl = `${new URL(databaseUrl).pathname.slice(1) || "upstander"}_tpl_${randomBytes(4).toString("hex")}`;
    await admin(databaseUrl, (c) => c.query(`CREATE DATABASE "${tpl}"`));
    const db = await openDb({ databaseUrl: withDatabase(databaseUrl, tpl), poolSize: 1 });
    await migrate(db);
    await db.close();
    return { databaseUrl, golden: tpl };
  }
  const dump = await dumpPreparedPglite(async (db) => {
    await migrate(db);
  });
  await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  return { golden: dumpPath };
}

/** Global teardown: drops the server template (the PGlite dump is a temp file). */
export async function dropGolden(env: TestDbEnv): Promise<void> {
  if (env.databaseUrl) {
    const url = env.databaseUrl;
    await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${env.golden}" WITH (FORCE)`));
  }
}

export interface TestDb {
  db: Db;
  /** Connection URL of this test's own server database (undefined on PGlite). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh migrated database for one test file. */
export async function createTestDb(env: TestDbEnv): Promise<TestDb> {
  if (env.databaseUrl) {
    const url0 = env.databaseUrl;
    const name = `${env.golden}_${randomBytes(4).toString("hex")}`;
    await admin(url0, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${env.golden}"`));
    const url = withDatabase(url0, name);
    const db = await openDb({ databaseUrl: url, poolSize: 4 });
    return {
      db,
      url,
      drop: async () => {
        await db.close();
        await admin(url0, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const dump = new Blob([await readFile(env.golden)]);
  const db = await openDb({ pgliteLoadDataDir: dump });
  return { db, url: undefined, drop: () => db.close() };
}
