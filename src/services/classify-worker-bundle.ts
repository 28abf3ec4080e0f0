/**
 * @module classify-worker-bundle
 * The worker threads of the text classifier run a JavaScript bundle of classify-worker.ts, built with
 * esbuild (which tsx already brings) into node_modules/.cache at first use, instead of loading the tsx
 * loader in every thread: that loader cost each worker about 0.5 s of start-up and tens of MB. Nothing
 * built is committed: the bundle is rebuilt whenever a source file it was built from changes (by size
 * and modification time). If bundling fails, the workers fall back to the tsx loader. A path a module
 * derives from its own URL points into the cache inside the bundle, so the calling thread always
 * passes the workers an explicit models folder.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ENTRY = fileURLToPath(new URL("./classify-worker.ts", import.meta.url));
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "upstander");
const MANIFEST = join(CACHE_DIR, "classify-worker.json");
/** The tsx-loader entry, for when no bundle can be built. */
export const FALLBACK_WORKER = new URL("./classify-worker-entry.js", import.meta.url);

const ManifestSchema = z.object({
  bundle: z.string(),
  node: z.string(),
  inputs: z.record(z.string(), z.object({ size: z.number(), mtimeMs: z.number() })),
});
type Manifest = z.infer<typeof ManifestSchema>;

async function fresh(m: Manifest): Promise<boolean> {
  if (m.node !== process.version) return false;
  try {
    await stat(join(CACHE_DIR, m.bundle));
    for (const [file, seen] of Object.entries(m.inputs)) {
      const s = await stat(join(ROOT, file));
      if (s.size !== seen.size || s.mtimeMs !== seen.mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function build(): Promise<URL> {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node}`,
    write: false,
    metafile: true,
    logLevel: "silent",
    banner: {
      js: "// Built by classify-worker-bundle.ts from src/services/classify-worker.ts; not a source file.",
    },
  });
  const code = out.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output");
  const name = `classify-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`;
  const inputs: Manifest["inputs"] = {};
  for (const file of Object.keys(out.metafile.inputs)) {
    const s = await stat(join(ROOT, file));
    inputs[file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  await mkdir(CACHE_DIR, { recursive: true });
  // Written under a unique name, then renamed: concurrent first runs never see half a file.
  const tmp = join(CACHE_DIR, `${name}.${process.pid}.tmp`);
  await writeFile(tmp, code);
  await rename(tmp, join(CACHE_DIR, name));
  const manifest: Manifest = { bundle: name, node: process.version, inputs };
  await writeFile(`${MANIFEST}.${process.pid}.tmp`, JSON.stringify(manifest));
  await rename(`${MANIFEST}.${process.pid}.tmp`, MANIFEST);
  return pathToFileURL(join(CACHE_DIR, name));
}

/** The worker script to start: the cached bundle (built if missing or stale), else the tsx entry. */
export async function classifyWorkerUrl(): Promise<URL> {
  try {
    const m = ManifestSchema.safeParse(JSON.parse(await readFile(MANIFEST, "utf8")));
    if (m.success && (await fresh(m.data))) return pathToFileURL(join(CACHE_DIR, m.data.bundle));
  } catch {
    // No manifest yet: build below.
  }
  try {
    return await build();
  } catch {
    return FALLBACK_WORKER;
  }
}
