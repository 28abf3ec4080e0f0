import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageResultSchema } from "../../contract/detection.ts";
import { photoLike, textImage } from "../../../tests/helpers/images.ts";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../../../bin/upstander.js", import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "classify-image-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ code: number; lines: unknown[]; stderr: string }> {
  const r = await run(process.execPath, [...nodeArgs, bin, "classify-image", ...args]).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    }),
  );
  const lines: unknown[] = r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { code: r.code, lines, stderr: r.stderr };
}

describe("upstander classify-image", () => {
  it("prints one valid JSON line per file in argument order and exits 0 when some succeed", async () => {
    const good = join(dir, "good.jpg");
    const bad = join(dir, "bad.jpg");
    await writeFile(good, await photoLike(21, 320, 240));
    await writeFile(bad, "not an image");
    const { code, lines } = await cli([bad, good]);
    expect(code).toBe(0);
    const results = lines.map((l) => ImageResultSchema.parse(l));
    expect(results.map((r) => r.file)).toEqual([bad, good]);
    expect(results[0]?.error).toMatch(/not a readable image/);
    expect(results[1]?.class).toBeDefined();
  });

  it("exits 1 when every file failed, still printing a line for each", async () => {
    const empty = join(dir, "empty.png");
    await writeFile(empty, "");
    const { code, lines, stderr } = await cli([empty, join(dir, "missing.jpg")]);
    expect(code).toBe(1);
    expect(lines).toHaveLength(2);
    expect(stderr).toMatch(/none of the 2 image/);
  });

  it("exits 2 on a usage error", async () => {
    expect((await cli([])).code).toBe(2);
  });
});

describe("upstander classify-image offline", () => {
  it("classifies and reads text with every network path blocked, in every thread", async () => {
    const blocker = fileURLToPath(new URL("../../../tests/helpers/block-network.cjs", import.meta.url));
    const file = join(dir, "caption.png");
    await writeFile(file, await textImage(["nobody will report this"]));
    const { code, lines, stderr } = await cli(["--ocr", "--threads", "1", file], ["--require", blocker]);
    // The preload ran in the main thread and in the worker threads (model worker and OCR worker).
    expect(stderr.match(/network blocked in thread/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(stderr).not.toMatch(/NETWORK ATTEMPT/);
    expect(code).toBe(0);
    const [r] = lines.map((l) => ImageResultSchema.parse(l));
    expect(r?.class).toBeDefined();
    expect(r?.ocrText?.toLowerCase()).toContain("report");
  });
});
