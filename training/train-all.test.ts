import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sharedDataDir } from "./lib/datasets.ts";
import { SMALL_CONFIG, trainAll } from "./train-all.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function hashes(files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    out[basename(f)] = createHash("sha256")
      .update(await readFile(f))
      .digest("hex");
  }
  return out;
}

// The public datasets live outside the repository (../shared/data); without them there is nothing to train on.
describe.skipIf(!existsSync(sharedDataDir()))("training determinism", () => {
  it("writes byte-identical models on two runs of the small configuration", async () => {
    const runs: Record<string, string>[] = [];
    for (let i = 0; i < 2; i++) {
      const outDir = await mkdtemp(join(os.tmpdir(), "upstander-train-"));
      dirs.push(outDir);
      runs.push(await hashes(await trainAll({ ...SMALL_CONFIG, outDir })));
    }
    expect(Object.keys(runs[0] ?? {}).sort()).toEqual([
      "text-messages.bin",
      "text-messages.json",
      "text-stance.bin",
      "text-stance.json",
    ]);
    expect(runs[1]).toEqual(runs[0]);
  });
});
