/** Builds one migrated golden database per test run; each test file clones it (tests/helpers/test-db.ts). */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { dropGolden, prepareGolden, type TestDbEnv } from "../../src/storage/test-databases.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testDbEnv: TestDbEnv;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = await prepareGolden(
    process.env.DATABASE_URL || undefined,
    join(tmpdir(), `upstander-golden-${process.pid}.tar`),
  );
  project.provide("testDbEnv", env);
  return () => dropGolden(env);
}
