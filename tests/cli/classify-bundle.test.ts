import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeInput, makeVariedInput } from "../../bench/classify.bench.ts";
import {
  BUNDLE_CACHE_DIR,
  bundleUrl,
  CLI_BUNDLE,
  pruneOldBundles,
  WORKER_BUNDLE,
} from "../../src/services/classify-worker-bundle.ts";

const BIN = fileURLToPath(new URL("../../bin/upstander.js", import.meta.url));

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(input: Buffer, args: string[], bundle: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, UPSTANDER_CLASSIFY_BUNDLE: bundle ? "1" : "0" };
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.end(input);
  });
}

/** A few hundred lines: varied and repeated messages, replies, and every kind of bad line. */
function mixedInput(): Buffer {
  const parts: Buffer[] = [];
  const bad = [
    "this is not json",
    '{"id":"x1"}',
    '{"id":"x2","text":""}',
    '{"id":"x3","text":"   "}',
    '{"id":"x4","text":42}',
    '{"id":{"a":1},"text":"hi"}',
    '{"id":"x5","text":"hi","replyTo":7}',
    "[1,2,3]",
    "null",
    '{"id":"x6","text":"trailing comma",}',
    '{"id":"x7","text":"esc \\u00e9 \\ud83d\\ude02 \\"q\\" \\\\ \\n\\t","replyTo":"ok \\/"}',
    '{"id":-12.5e3,"text":"numeric id","extra":[1,{"b":null}]}',
    '  {"id":"x8", "text" : "spaces around"}  ',
    '{"id":"x9","text":"dup","text":"dup wins"}',
    '{"text":"no id"}',
  ];
  for (let i = 0; i < 300; i++) {
    const input = i % 3 === 0 ? makeInput(i) : makeVariedInput(i);
    parts.push(Buffer.from(JSON.stringify(input) + (i % 7 === 0 ? "\r\n" : "\n"), "utf8"));
    if (i % 20 === 0) parts.push(Buffer.from(`${bad[(i / 20) % bad.length] ?? ""}\n`, "utf8"));
    if (i === 150) {
      parts.push(Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x31, 0xff, 0x0a]), Buffer.from("\n"));
    }
  }
  parts.push(Buffer.from('{"id":"last","text":"no newline at the end"}'));
  return Buffer.concat(parts);
}

describe("upstander classify from its bundle", () => {
  it.each([
    ["worker threads", ["classify", "--threads", "2", "--quiet"]],
    ["main thread", ["classify", "--threads", "0", "--quiet"]],
  ])("prints exactly what the tsx path prints (%s)", async (_name, args) => {
    const input = mixedInput();
    const bundled = await run(input, args, true);
    const viaTsx = await run(input, args, false);
    expect(viaTsx.code).toBe(0);
    expect(viaTsx.stdout.toString("utf8").split("\n").length).toBeGreaterThan(300);
    expect(bundled).toEqual(viaTsx);
    // The bundle was built (or was already fresh), so the first run used it.
    const manifest = JSON.parse(
      await readFile(join(BUNDLE_CACHE_DIR, `${CLI_BUNDLE.name}.json`), "utf8"),
    ) as {
      inputs: Record<string, string>;
    };
    expect(Object.keys(manifest.inputs)).toContain(CLI_BUNDLE.entry);
  });

  it("rebuilds a bundle whose manifest names another checkout (a copied or hard-linked node_modules)", async () => {
    const path = join(BUNDLE_CACHE_DIR, `${CLI_BUNDLE.name}.json`);
    const input = Buffer.from('{"id":1,"text":"hello"}\n');
    expect((await run(input, ["classify", "--quiet"], true)).code).toBe(0);
    const manifest = JSON.parse(await readFile(path, "utf8")) as { root: string };
    const root = manifest.root;
    expect(root).toBe(fileURLToPath(new URL("../../", import.meta.url)));
    // Every source hash still matches: only the root says the bundle was built elsewhere.
    await writeFile(path, JSON.stringify({ ...manifest, root: "/another/checkout/" }));
    const again = await run(input, ["classify", "--quiet"], true);
    expect(again.code).toBe(0);
    expect((JSON.parse(await readFile(path, "utf8")) as { root: string }).root).toBe(root);
  });

  it("bundleUrl rebuilds the worker bundle when its manifest names another checkout", async () => {
    // In-process, not through bin/upstander.js: this is fresh()'s own root check.
    const path = join(BUNDLE_CACHE_DIR, `${WORKER_BUNDLE.name}.json`);
    await bundleUrl(WORKER_BUNDLE);
    const manifest = JSON.parse(await readFile(path, "utf8")) as { root: string };
    const root = manifest.root;
    expect(root).toBe(fileURLToPath(new URL("../../", import.meta.url)));
    // Every source hash still matches: only the root says the bundle was built elsewhere.
    await writeFile(path, JSON.stringify({ ...manifest, root: "/another/checkout/" }));
    const url = await bundleUrl(WORKER_BUNDLE);
    expect((JSON.parse(await readFile(path, "utf8")) as { root: string }).root).toBe(root);
    expect(fileURLToPath(url).startsWith(BUNDLE_CACHE_DIR)).toBe(true);
  });

  it("prunes a bundle's superseded builds once they are a day old, and nothing else", async () => {
    const spec = { entry: "none.ts", name: "prune-test" };
    await mkdir(BUNDLE_CACHE_DIR, { recursive: true });
    const files = ["prune-test-old.mjs", "prune-test-recent.mjs", "prune-test-keep.mjs", "prune-test.json"];
    for (const f of [...files, "other-old.mjs"]) await writeFile(join(BUNDLE_CACHE_DIR, f), "");
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    for (const f of ["prune-test-old.mjs", "prune-test-keep.mjs", "prune-test.json", "other-old.mjs"]) {
      await utimes(join(BUNDLE_CACHE_DIR, f), twoDaysAgo, twoDaysAgo);
    }
    await pruneOldBundles(spec, "prune-test-keep.mjs", Date.now() - 24 * 3600 * 1000);
    const left = (await readdir(BUNDLE_CACHE_DIR)).filter(
      (f) => f.startsWith("prune-test") || f === "other-old.mjs",
    );
    expect(left.sort()).toEqual([
      "other-old.mjs",
      "prune-test-keep.mjs",
      "prune-test-recent.mjs",
      "prune-test.json",
    ]);
    await pruneOldBundles(spec, "none", Date.now() + 1000);
    expect((await readdir(BUNDLE_CACHE_DIR)).filter((f) => f.startsWith("prune-test-"))).toEqual([]);
    for (const f of ["prune-test.json", "other-old.mjs"]) await rm(join(BUNDLE_CACHE_DIR, f));
  });

  it.each([
    [["classify", "--help"]],
    [["classify", "--threads", "x"]],
    [["classify", "--threads", "-1", "--quiet"]],
    [["classify", "--bogus"]],
    [["classify", "extra-argument"]],
    [["classify", "--models", "/nonexistent", "--quiet"]],
  ])("has the same help, errors and exit code as the tsx path: %j", async (args) => {
    const input = Buffer.from('{"id":1,"text":"hello"}\n');
    const bundled = await run(input, args, true);
    const viaTsx = await run(input, args, false);
    expect(bundled).toEqual(viaTsx);
  });
});
