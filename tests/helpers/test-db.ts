/** Per-file database for tests: `const t = await useTestDb()` in beforeAll, `t.drop()` in afterAll. */
import { inject } from "vitest";
import { createTestDb, type TestDb } from "../../src/storage/test-databases.ts";

export function useTestDb(): Promise<TestDb> {
  return createTestDb(inject("testDbEnv"));
}
