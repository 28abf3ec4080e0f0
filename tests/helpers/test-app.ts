/**
 * Builds the app on a fresh test database with one user per role, and signs users in.
 * `const t = await createTestApp()` in beforeAll, `t.close()` in afterAll.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createDiskEvidenceStore } from "../../src/storage/blobs/evidence-store.ts";
import { ROLES, type Role } from "../../src/contract/api-common.ts";
import type { User } from "../../src/contract/api-auth.ts";
import { buildApp, type App } from "../../src/server/app.ts";
import { loadConfig, type AppConfig } from "../../src/server/config.ts";
import { createUser } from "../../src/services/create-user.ts";
import { argon2Hasher } from "../../src/services/password-hasher.ts";
import type { Db } from "../../src/storage/db.ts";
import { useTestDb } from "./test-db.ts";

export const ORG = "00000000-0000-0000-0000-000000000001";
export const PASSWORD = "correct horse battery staple";

export interface SignedIn {
  user: User;
  cookie: string;
  csrf: string;
  /** Headers for a state-changing request. */
  headers: Record<string, string>;
}

export interface TestApp {
  app: App;
  db: Db;
  config: AppConfig;
  logs: string[];
  now: { value: Date };
  users: Record<Role, User>;
  signIn(email: string, password?: string): Promise<SignedIn>;
  as(role: Role): Promise<SignedIn>;
  makeUser(role: Role, name: string, phone?: string): Promise<User>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await useTestDb();
  const dataDir = await mkdtemp(join(tmpdir(), "ups-app-"));
  const r = loadConfig({
    UPSTANDER_DATA_DIR: dataDir,
    UPSTANDER_SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
    UPSTANDER_RATE_LIMIT_PER_MINUTE: "100000",
    UPSTANDER_RATE_LIMIT_SIGNIN_PER_MINUTE: "1000",
    UPSTANDER_RATE_LIMIT_INTAKE_PER_MINUTE: "1000",
    ...env,
  });
  if (!r.ok) {
    throw new Error(r.problems.join("\n"));
  }
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const now = { value: new Date() };
  const clock = () => now.value;
  const store = createDiskEvidenceStore(join(dataDir, "evidence"));
  const app = await buildApp({ db: t.db, config: r.config, clock, logStream, store });
  await app.ready();
  const deps = { db: t.db, hasher: argon2Hasher, clock };
  const users = {} as Record<Role, User>;
  let n = 0;
  const makeUser = (role: Role, name: string, phone?: string) =>
    createUser(
      deps,
      ORG,
      {
        email: `${role}.${++n}@example.test`,
        displayName: name,
        role,
        password: PASSWORD,
        ...(phone ? { phone } : {}),
      },
      "test",
    );
  for (const role of ROLES) {
    users[role] = await makeUser(role, `Test ${role.replace("_", " ")}`);
  }
  const sessions = new Map<string, SignedIn>();
  const signIn = async (email: string, password = PASSWORD): Promise<SignedIn> => {
    const res = await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email, password } });
    if (res.statusCode !== 200) {
      throw new Error(`sign-in ${email}: ${res.statusCode} ${res.body}`);
    }
    const body = res.json<{ user: User; csrfToken: string }>();
    const set = res.cookies.find((c) => c.name === "upstander_session");
    if (!set) {
      throw new Error("no session cookie");
    }
    const cookie = `upstander_session=${set.value}`;
    return {
      user: body.user,
      cookie,
      csrf: body.csrfToken,
      headers: { cookie, "x-csrf-token": body.csrfToken },
    };
  };
  return {
    app,
    db: t.db,
    config: r.config,
    logs,
    now,
    users,
    signIn,
    async as(role) {
      const cached = sessions.get(role);
      if (cached) {
        return cached;
      }
      const s = await signIn(users[role].email);
      sessions.set(role, s);
      return s;
    },
    makeUser,
    async close() {
      await app.close();
      await t.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
