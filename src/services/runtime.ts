/**
 * @module runtime
 * Configuration from the environment (validated once, with every problem listed) and the runtime it
 * opens: a migrated database and the evidence store. CLI commands and the server both start here.
 */
import { resolve, join } from "node:path";
import { z } from "zod";
import { AppError } from "../contract/errors.ts";
import { createDiskEvidenceStore, type EvidenceStore } from "../storage/blobs/evidence-store.ts";
import { openDb, type Db } from "../storage/db.ts";
import { migrate } from "../storage/migrate.ts";

export const DEFAULT_ORG_ID = "00000000-0000-0000-0000-000000000001";

const EnvSchema = z.object({
  UPSTANDER_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL")
    .optional(),
  UPSTANDER_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export interface RuntimeConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
}

/**
 * @throws AppError CONFIG_INVALID listing every invalid variable.
 */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new AppError("CONFIG_INVALID", {
      userMessage: `invalid configuration:\n  ${problems.join("\n  ")}`,
      details: { problems },
    });
  }
  return {
    dataDir: resolve(parsed.data.UPSTANDER_DATA_DIR),
    databaseUrl: parsed.data.DATABASE_URL,
    poolSize: parsed.data.UPSTANDER_DB_POOL_SIZE,
  };
}

export interface Runtime {
  config: RuntimeConfig;
  db: Db;
  store: EvidenceStore;
  close(): Promise<void>;
}

/** Opens the database (migrating it) and the evidence store under the data directory. */
export async function openRuntime(config: RuntimeConfig = loadRuntimeConfig()): Promise<Runtime> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    pgliteDir: join(config.dataDir, "pglite"),
    poolSize: config.poolSize,
  });
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  const store = createDiskEvidenceStore(join(config.dataDir, "evidence"));
  return { config, db, store, close: () => db.close() };
}
