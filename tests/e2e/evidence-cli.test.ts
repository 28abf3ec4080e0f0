import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { useTestDb } from "../helpers/test-db.ts";
import type { TestDb } from "../../src/storage/test-databases.ts";

const CHAT = "12/03/2024, 09:15 - Dave Smith: morning all\n12/03/2024, 09:16 - Sarah Jones: morning\n";

describe("upstander ingest / verify / ledger verify / db status", { timeout: 300_000 }, () => {
  let t: TestDb;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await useTestDb();
    dir = await mkdtemp(join(tmpdir(), "cli-evidence-"));
    // On a server run the CLI uses this file's own database; otherwise the embedded engine in `dir`.
    env = { UPSTANDER_DATA_DIR: join(dir, "data"), DATABASE_URL: t.url };
  });
  afterAll(() => t.drop());

  it("should ingest, print the acquisition id and sha256, and verify clean", async () => {
    const file = join(dir, "WhatsApp Chat with Team.txt");
    await writeFile(file, CHAT);
    const ing = await runCli(
      ["ingest", file, "--case", "PSD-9", "--scope", "team chat, March 2024", "--json"],
      env,
    );
    expect(ing.stderr).toBe("");
    expect(ing.code).toBe(0);
    const out = JSON.parse(ing.stdout) as { acquisitionId: string; sha256: string; status: string };
    expect(out.status).toBe("parsed");
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);

    const ok = await runCli(["verify"], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/all evidence intact/);
    const ledger = await runCli(["ledger", "verify"], env);
    expect(ledger.code).toBe(0);
    expect(ledger.stdout).toMatch(/ledger intact: 2 entries/);

    const stored = join(
      dir,
      "data",
      "evidence",
      "sha256",
      out.sha256.slice(0, 2),
      out.sha256.slice(2, 4),
      out.sha256,
    );
    await chmod(stored, 0o644);
    await writeFile(stored, CHAT.toUpperCase());
    const bad = await runCli(["verify"], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`MISMATCH ${out.sha256}`);
  });

  it("should refuse an ingest without a scope statement, with a usage error", async () => {
    const r = await runCli(["ingest", join(dir, "x.txt"), "--case", "PSD-9"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scope/);
  });

  it("should keep a file that is not a chat export and exit 1 saying why", async () => {
    const file = join(dir, "notes.txt");
    await writeFile(file, "not a chat\n");
    const r = await runCli(["ingest", file, "--case", "PSD-9", "--scope", "s"], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^acquisition /);
    expect(r.stderr).toMatch(/evidence is stored, but parsing failed/);
  });

  it("should list applied migrations", async () => {
    const r = await runCli(["db", "status"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/applied\s+0001_foundation\.sql/);
  });
});
