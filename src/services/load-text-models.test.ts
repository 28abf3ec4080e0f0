import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MODELS_DIR, loadInferenceModels, loadTextModels } from "./load-text-models.ts";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function folderWith(...names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "upstander-models-"));
  dirs.push(dir);
  for (const n of names) {
    for (const ext of [".json", ".bin"]) {
      await copyFile(join(DEFAULT_MODELS_DIR, n + ext), join(dir, n + ext));
    }
  }
  return dir;
}

/** The user-facing message of a load that must fail. */
async function failure(load: Promise<unknown>): Promise<string> {
  try {
    await load;
  } catch (e) {
    return (e as { userMessage?: string }).userMessage ?? String(e);
  }
  throw new Error("the load did not fail");
}

describe("loading the text models", () => {
  it("names the message model first when both are missing, every time (the CLI prints it)", async () => {
    const empty = await folderWith();
    for (let i = 0; i < 10; i++) {
      expect(await failure(loadInferenceModels(empty))).toContain("model text-messages not found");
      expect(await failure(loadTextModels(empty))).toContain("model text-messages not found");
    }
  });

  it("names the model that is missing", async () => {
    expect(await failure(loadInferenceModels(await folderWith("text-messages")))).toContain(
      "model text-stance not found",
    );
    expect(await failure(loadInferenceModels(await folderWith("text-stance")))).toContain(
      "model text-messages not found",
    );
  });
});
