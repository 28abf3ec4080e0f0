/**
 * @module classify-worker-bundle
 * JavaScript bundles of the text classifier's entry points, built with esbuild (which tsx already
 * brings) into node_modules/.cache/upstander at first use, so that they run without the tsx loader:
 * that loader cost each worker thread about 0.5 s of start-up and tens of MB, and the main thread of
 * `upstander classify` about 35 MB (bin/upstander.js runs the "classify-cli" bundle when it is fresh).
 * Nothing built is committed. A bundle's manifest records the sha256 of every source file it was built
 * from, and the checkout it was built in (a bundle holds absolute paths: a node_modules copied or
 * hard-linked into another checkout must not run the first checkout's sources and models); a bundle
 * whose sources changed in any byte, or that was built elsewhere, is rebuilt. A rebuild removes that
 * bundle's superseded builds once they are a day old. If bundling fails, the callers fall
 * back to the tsx loader. `import.meta.url` inside a bundled source file is replaced by that file's
 * own URL, so paths a module derives from it (the models folder, the worker entries) are the same in
 * a bundle as in the sources.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE_CACHE_DIR = join(ROOT, "node_modules", ".cache", "upstander");
/** The tsx-loader entry, for when no bundle can be built. */
export const FALLBACK_WORKER = new URL("./classify-worker-entry.js", import.meta.url);

/** An entry point (path from the repository root) and the name its bundle is cached under. */
export interface BundleSpec {
  entry: string;
  name: string;
}

export const WORKER_BUNDLE: BundleSpec = {
  entry: "src/services/classify-worker.ts",
  name: "classify-worker",
};
/** The `upstander classify` command alone; bin/upstander.js checks its manifest the same way as fresh(). */
export const CLI_BUNDLE: BundleSpec = { entry: "src/cli/classify-main.ts", name: "classify-cli" };

const ManifestSchema = z.object({
  bundle: z.string(),
  node: z.string(),
  /** The repository root it was built in (the bundle holds absolute paths under it). */
  root: z.string(),
  /** sha256 (hex) of each input file, by path from the repository root. */
  inputs: z.record(z.string(), z.string()),
});
type Manifest = z.infer<typeof ManifestSchema>;

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

async function fresh(m: Manifest): Promise<boolean> {
  if (m.node !== process.version || m.root !== ROOT) return false;
  try {
    await readFile(join(BUNDLE_CACHE_DIR, m.bundle));
    for (const [file, hash] of Object.entries(m.inputs)) {
      if (sha256(await readFile(join(ROOT, file))) !== hash) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Builds `spec`'s bundle into the cache (replacing any older one) and returns its URL. */
export async function buildBundle(spec: BundleSpec): Promise<URL> {
  const esbuild = await import("esbuild");
  const srcDir = join(ROOT, "src");
  const out = await esbuild.build({
    entryPoints: [join(ROOT, spec.entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node}`,
    // Loaded lazily, only to rebuild a stale worker bundle.
    external: ["esbuild"],
    write: false,
    metafile: true,
    logLevel: "silent",
    banner: {
      js: [
        `// Built by classify-worker-bundle.ts from ${spec.entry}; not a source file.`,
        // CommonJS packages bundled into an ES module (commander) require Node's built-ins, and only
        // those (every package is bundled), so the base path of this require does not matter.
        'import { createRequire as __createRequire } from "node:module";',
        "const require = __createRequire(process.execPath);",
      ].join("\n"),
    },
    plugins: [
      {
        name: "own-import-meta-url",
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            if (!args.path.startsWith(srcDir)) return undefined;
            const text = await readFile(args.path, "utf8");
            const url = JSON.stringify(pathToFileURL(args.path).href);
            return { contents: text.replace(/\bimport\.meta\.url\b/g, url), loader: "ts" };
          });
        },
      },
    ],
  });
  const code = out.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output");
  const name = `${spec.name}-${sha256(code).slice(0, 16)}.mjs`;
  const inputs: Manifest["inputs"] = {};
  for (const file of Object.keys(out.metafile.inputs)) {
    inputs[file] = sha256(await readFile(join(ROOT, file)));
  }
  await mkdir(BUNDLE_CACHE_DIR, { recursive: true });
  // Written under a unique name, then renamed: concurrent first runs never see half a file.
  const tmp = join(BUNDLE_CACHE_DIR, `${name}.${process.pid}.tmp`);
  await writeFile(tmp, code);
  await rename(tmp, join(BUNDLE_CACHE_DIR, name));
  const manifest: Manifest = { bundle: name, node: process.version, root: ROOT, inputs };
  const manifestPath = join(BUNDLE_CACHE_DIR, `${spec.name}.json`);
  await writeFile(`${manifestPath}.${process.pid}.tmp`, JSON.stringify(manifest));
  await rename(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  await pruneOldBundles(spec, name, Date.now() - PRUNE_AFTER_MS);
  return pathToFileURL(join(BUNDLE_CACHE_DIR, name));
}

/**
 * Superseded bundles are kept this long: a process that started from one may still start worker
 * threads from its worker bundle, so only bundles unchanged for a day are removed.
 */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Removes `spec`'s bundles other than `keep` last modified before `before` (ms since the epoch),
 * so a checkout whose sources change often does not collect one bundle per change. Best effort: a
 * file another process removed first, or cannot remove, is left alone.
 */
export async function pruneOldBundles(spec: BundleSpec, keep: string, before: number): Promise<void> {
  const prefix = `${spec.name}-`;
  for (const file of await readdir(BUNDLE_CACHE_DIR)) {
    if (file === keep || !file.startsWith(prefix) || !file.endsWith(".mjs")) continue;
    const path = join(BUNDLE_CACHE_DIR, file);
    try {
      if ((await stat(path)).mtimeMs < before) await unlink(path);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** `spec`'s cached bundle if it is fresh, else a new build; throws when it cannot be built. */
export async function bundleUrl(spec: BundleSpec): Promise<URL> {
  try {
    const raw = await readFile(join(BUNDLE_CACHE_DIR, `${spec.name}.json`), "utf8");
    const m = ManifestSchema.safeParse(JSON.parse(raw));
    if (m.success && (await fresh(m.data))) return pathToFileURL(join(BUNDLE_CACHE_DIR, m.data.bundle));
  } catch {
    // No manifest yet: build below.
  }
  return buildBundle(spec);
}

/** The worker script to start: the cached bundle (built if missing or stale), else the tsx entry. */
export async function classifyWorkerUrl(): Promise<URL> {
  try {
    return await bundleUrl(WORKER_BUNDLE);
  } catch {
    return FALLBACK_WORKER;
  }
}
