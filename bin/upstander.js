#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader, so there is no build step to forget.
// `upstander classify` is the exception: it runs from a JavaScript bundle of src/cli/classify-main.ts
// cached in node_modules/.cache/upstander (the tsx loader alone cost it about 35 MB of its memory
// budget). The bundle is used only while every source file it was built from has the content it was
// built from (sha256, recorded in its manifest by src/services/classify-worker-bundle.ts, which also
// builds it) and it was built in this checkout (it holds absolute paths); otherwise it is rebuilt first, and if that fails the command runs through tsx as usual.
// UPSTANDER_CLASSIFY_BUNDLE=0 runs it through tsx regardless (tests compare the two paths).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "upstander");

/** The cached classify bundle's URL when it is fresh; undefined when missing or stale. */
function freshClassifyBundle() {
  try {
    const m = JSON.parse(readFileSync(join(CACHE_DIR, "classify-cli.json"), "utf8"));
    if (m.node !== process.version || m.root !== ROOT || typeof m.bundle !== "string") return undefined;
    const inputs = Object.entries(m.inputs);
    if (inputs.length === 0) return undefined;
    for (const [file, hash] of inputs) {
      if (
        createHash("sha256")
          .update(readFileSync(join(ROOT, file)))
          .digest("hex") !== hash
      ) {
        return undefined;
      }
    }
    const bundle = join(CACHE_DIR, m.bundle);
    return existsSync(bundle) ? pathToFileURL(bundle).href : undefined;
  } catch {
    return undefined;
  }
}

if (process.argv[2] === "classify" && process.env.UPSTANDER_CLASSIFY_BUNDLE !== "0") {
  let url = freshClassifyBundle();
  if (url === undefined) {
    register();
    const bundles = await import("../src/services/classify-worker-bundle.ts");
    try {
      url = (await bundles.buildBundle(bundles.CLI_BUNDLE)).href;
    } catch (e) {
      process.stderr.write(
        `upstander: note: running classify through the tsx loader (could not bundle it: ${e instanceof Error ? e.message : String(e)})\n`,
      );
    }
  }
  await import(url ?? "../src/cli/main.ts");
} else {
  register();
  await import("../src/cli/main.ts");
}
