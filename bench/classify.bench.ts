/**
 * Throughput and memory of the text detectors: `upstander classify` end to end (a subprocess reading
 * JSON lines from a file, worker threads, output counted and discarded) and the in-process library
 * API, on generated team-chat-like messages (20% of them replies, so stance runs too). Two inputs:
 * "repeated" recombines a few dozen phrases (1,560 distinct texts, so the normaliser's and the feature
 * hasher's memos nearly always hit), "varied" draws every message afresh from a Zipf-like vocabulary
 * of 20,000 made-up words mixed with the phrases (nearly every text distinct, a long tail of words,
 * the model's weights read all over), which is closer to a real export.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClassifyInput } from "../src/contract/detection.ts";
import { createTextClassifier } from "../src/services/classify-texts.ts";
import type { Benchmark } from "./benchmark.ts";

const BIN = fileURLToPath(new URL("../bin/upstander.js", import.meta.url));

const OPENERS = [
  "morning all",
  "cheers",
  "mate",
  "skipper says",
  "fyi",
  "lol",
  "honestly",
  "right team",
  "oi",
  "ta",
];
const BODIES = [
  "briefing moved to 10 in the parade room",
  "who's got the keys for the focus",
  "she's a right slag that one",
  "can someone cover my lates on saturday",
  "send us a pic of her in that uniform 🍆",
  "that's not on, delete it",
  "handover for the job on friday is in the folder",
  "absolute legend, thanks for the help",
  "f***ing brilliant job today team",
  "the new DC is sound, give her a chance",
  "he's such a poof lol",
  "custody is rammed again",
];
const REPLIES = [
  "😂😂",
  "+1",
  "not funny mate",
  "haha get in",
  "ok cheers",
  "delete that now",
  "🔥",
  "who's on tomorrow?",
];

/** Deterministic inputs: line i always has the same text. */
export function makeInput(i: number): ClassifyInput {
  const text = `${OPENERS[i % OPENERS.length] ?? ""} ${BODIES[(i * 7) % BODIES.length] ?? ""} ${i % 13}`;
  if (i % 5 === 0) return { id: i, text: REPLIES[i % REPLIES.length] ?? "+1", replyTo: text };
  return { id: i, text };
}

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "sen",
  "tar",
  "bo",
  "ret",
  "un",
  "fi",
  "gal",
  "pe",
  "dro",
  "ish",
  "vam",
  "cu",
  "ny",
];

/** A made-up word per vocabulary rank (2-4 syllables), so no real word's weight is favoured. */
function vocabWord(rank: number): string {
  let w = "";
  let x = rank + 17;
  const n = 2 + (rank % 3);
  for (let i = 0; i < n; i++) {
    w += SYLLABLES[x % SYLLABLES.length] ?? "";
    x = Math.floor(x / SYLLABLES.length) + i * 7;
  }
  return w;
}

const PHRASE_WORDS = [...OPENERS, ...BODIES, ...REPLIES].flatMap((s) => s.split(" "));

/** Deterministic, nearly all distinct: 3-20 words, most from a Zipf-like vocabulary of 20,000. */
export function makeVariedInput(i: number): ClassifyInput {
  let x = (Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const n = 3 + Math.floor(next() * 18);
  const words: string[] = [];
  for (let j = 0; j < n; j++) {
    const r = next();
    words.push(
      r < 0.35
        ? (PHRASE_WORDS[Math.floor(next() * PHRASE_WORDS.length)] ?? "")
        : vocabWord(Math.floor(20_000 * next() ** 3)),
    );
  }
  const text = words.join(" ");
  if (i % 5 === 0) return { id: `v${i}`, text: words.slice(0, 3).join(" "), replyTo: text };
  return { id: `v${i}`, text };
}

async function writeInputFile(path: string, n: number, make: (i: number) => ClassifyInput): Promise<void> {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(JSON.stringify(make(i)));
  await writeFile(path, parts.join("\n") + "\n");
}

interface CliRun {
  wallS: number;
  classifyS: number;
  cpuS: number;
  peakRssMb: number;
  outLines: number;
}

function runCli(file: string, threads: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, "classify", "--threads", String(threads)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let outLines = 0;
    let stderr = "";
    // Counted with indexOf (native): a byte-by-byte JS loop over the ~200 MB of output took a visible
    // share of the two cores the classifier runs on.
    child.stdout.on("data", (d: Buffer) => {
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) outLines++;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallS = (performance.now() - t0) / 1000;
      const m = /in ([\d.]+) s \(CPU ([\d.]+) s\); peak RSS (\d+) MB/.exec(stderr);
      if (code !== 0 || !m) {
        reject(new Error(`classify exited ${code}: ${stderr}`));
        return;
      }
      resolve({ wallS, classifyS: Number(m[1]), cpuS: Number(m[2]), peakRssMb: Number(m[3]), outLines });
    });
    createReadStream(file).pipe(child.stdin);
  });
}

async function inProcess(n: number, threads: number): Promise<{ perS: number; cpuPerS: number }> {
  const classifier = await createTextClassifier({ threads });
  try {
    const chunk = 20_000;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i += chunk) {
      const inputs: ClassifyInput[] = [];
      for (let j = i; j < Math.min(n, i + chunk); j++) inputs.push(makeInput(j));
      await classifier.classify(inputs);
    }
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { perS: n / secs, cpuPerS: n / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    await classifier.close();
  }
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-GB");
/** CPU microseconds per message. */
const us = (cpuS: number, n: number): string => ((cpuS * 1e6) / n).toFixed(1);

export const classifyBenchmark: Benchmark = {
  name: "classify",
  title: "Text detectors: classify throughput and memory",
  async run({ quick }) {
    const nCli = quick ? 2_000 : 1_000_000;
    const nLib = quick ? 2_000 : 200_000;
    const dir = await mkdtemp(join(os.tmpdir(), "upstander-bench-classify-"));
    try {
      // One small run first: it (re)builds the cached bundles the CLI runs from if a source changed,
      // which the measured runs should not pay for (see bin/upstander.js).
      const warmFile = join(dir, "warm.jsonl");
      await writeInputFile(warmFile, 10, makeInput);
      await runCli(warmFile, os.availableParallelism());
      const file = join(dir, "input.jsonl");
      await writeInputFile(file, nCli, makeInput);
      const cli = await runCli(file, os.availableParallelism());
      if (cli.outLines !== nCli) throw new Error(`expected ${nCli} output lines, got ${cli.outLines}`);
      const cli0 = await runCli(file, 0);
      const variedFile = join(dir, "varied.jsonl");
      await writeInputFile(variedFile, nCli, makeVariedInput);
      const varied = await runCli(variedFile, os.availableParallelism());
      if (varied.outLines !== nCli) throw new Error(`expected ${nCli} output lines, got ${varied.outLines}`);
      const lib0 = await inProcess(nLib, 0);
      const lib2 = await inProcess(nLib, os.availableParallelism());
      const threads = os.availableParallelism();
      return [
        `Input: ${fmt(nCli)} generated JSON lines (short team-chat messages, 20% replies with stance) for the CLI; ${fmt(nLib)} for the library. "Repeated" recombines a few dozen phrases (1,560 distinct texts); "varied" draws nearly every message afresh from a vocabulary of 20,000 words (see bench/classify.bench.ts). Wall-clock figures depend on what else the machine runs; "per CPU-second" does not. "Wall, incl. start-up" includes starting the CLI (which runs the classify command from a cached JavaScript bundle, without the tsx loader; a first run after a source change rebuilds the bundles, with tsx and esbuild loaded, and needs about 100 MB more); "classifying" starts once the models are loaded. The aim (issue 3) is 200,000 messages/s on 2 cores, which needs at least 100,000 messages per CPU-second (all threads), and peak RSS under 200 MB.`,
        "",
        `Load average while running: ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(", ")} on ${threads} cores.`,
        "",
        "| path | messages | messages/s (wall, incl. start-up) | messages/s (classifying) | messages per CPU-second | CPU µs per message | peak RSS |",
        "|---|---|---|---|---|---|---|",
        `| \`upstander classify\` (${threads} worker threads), repeated | ${fmt(nCli)} | ${fmt(nCli / cli.wallS)} | ${fmt(nCli / cli.classifyS)} | ${fmt(nCli / cli.cpuS)} | ${us(cli.cpuS, nCli)} | ${cli.peakRssMb} MB |`,
        `| \`upstander classify\` (${threads} worker threads), varied | ${fmt(nCli)} | ${fmt(nCli / varied.wallS)} | ${fmt(nCli / varied.classifyS)} | ${fmt(nCli / varied.cpuS)} | ${us(varied.cpuS, nCli)} | ${varied.peakRssMb} MB |`,
        `| \`upstander classify --threads 0\` (main thread), repeated | ${fmt(nCli)} | ${fmt(nCli / cli0.wallS)} | ${fmt(nCli / cli0.classifyS)} | ${fmt(nCli / cli0.cpuS)} | ${us(cli0.cpuS, nCli)} | ${cli0.peakRssMb} MB |`,
        `| library \`createTextClassifier({ threads: 0 })\`, repeated | ${fmt(nLib)} | | ${fmt(lib0.perS)} | ${fmt(lib0.cpuPerS)} | ${(1e6 / lib0.cpuPerS).toFixed(1)} | |`,
        `| library \`createTextClassifier({ threads: ${threads} })\`, repeated | ${fmt(nLib)} | | ${fmt(lib2.perS)} | | | |`,
      ].join("\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
