/**
 * Runs every benchmark and rewrites its section of docs/BENCHMARKS.md.
 * `npm run bench` runs the full sizes; `npm run bench:quick` (used by CI) runs tiny sizes only to prove
 * the benchmarks work, and writes nothing. `--only <name>` runs one benchmark.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import type { Benchmark } from "./benchmark.ts";
import { analyseBenchmark } from "./analyse.bench.ts";
import { classifyBenchmark } from "./classify.bench.ts";
import { imagesBench } from "./images.bench.ts";
import { ingestBenchmark } from "./ingest.bench.ts";
import { loadBenchmark } from "./load.bench.ts";
import { parseBenchmark } from "./parse.bench.ts";

// Benchmarks are registered here, one line each.
const benchmarks: Benchmark[] = [
  parseBenchmark,
  ingestBenchmark,
  classifyBenchmark,
  imagesBench,
  loadBenchmark,
  analyseBenchmark,
];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIdx = args.indexOf("--only");
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;

const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const docPath = new URL("../docs/BENCHMARKS.md", import.meta.url);

/** Read afresh before each write: a long run must not overwrite sections written meanwhile. */
async function readDoc(): Promise<string> {
  try {
    return await readFile(docPath, "utf8");
  } catch {
    return "# Benchmarks\n\nWritten by `npm run bench` (bench/run.ts). Each section names its command and machine.\n";
  }
}

for (const b of benchmarks) {
  if (only && b.name !== only) {
    continue;
  }
  process.stderr.write(`bench: ${b.name}${quick ? " (quick)" : ""}\n`);
  const body = await b.run({ quick });
  if (quick) {
    process.stderr.write(body + "\n");
    continue;
  }
  const section = `<!-- bench:${b.name} -->\n## ${b.title}\n\nCommand: \`npm run bench -- --only ${b.name}\`  \nMachine: ${machine}  \nDate: ${new Date().toISOString().slice(0, 10)}\n\n${body.trim()}\n<!-- /bench:${b.name} -->`;
  const re = new RegExp(`<!-- bench:${b.name} -->[\\s\\S]*?<!-- /bench:${b.name} -->`);
  const doc = await readDoc();
  const next = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
  await mkdir(new URL("../docs/", import.meta.url), { recursive: true });
  await writeFile(docPath, next);
}
