/**
 * Parse benchmark: generated Android and iOS exports (1,000,000 messages; --quick: 5,000), measuring
 *  - `upstander parse --json file > /dev/null` as a spawned process (wall time including start-up and
 *    NDJSON output; peak RSS),
 *  - our parser in a child process without output,
 *  - whatsapp-chat-parser 4 (read file + parseString with attachments) in a child process,
 * with peak RSS from `/usr/bin/time -f %M` when present, else by polling /proc/<pid>/status VmHWM.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Benchmark } from "./benchmark.ts";
import { writeExport } from "./generate-export.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TIME = "/usr/bin/time";

interface Run {
  wallSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs `node args…` with stdout to a file (or /dev/null) and returns wall time and peak RSS. */
function measure(args: string[], stdoutTo: "devnull" | "capture"): Promise<Run> {
  const useTime = existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ["-f", "__PEAK_KB__%M", process.execPath, ...args] : args;
  const devnull = stdoutTo === "devnull" ? openSync("/dev/null", "w") : null;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", devnull ?? "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let hwmKb = 0;
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const poll = useTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
            if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
          } catch {
            // The process has exited between polls.
          }
        }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      if (poll) clearInterval(poll);
      if (devnull !== null) closeSync(devnull);
      const m = /__PEAK_KB__(\d+)/.exec(stderr);
      if (m) hwmKb = Number(m[1]);
      if (code !== 0) {
        reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ wallSeconds, peakRssMb: hwmKb / 1024, stdout });
    });
  });
}

function childResult(stdout: string): { records: number; seconds: number } {
  const v: unknown = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
  if (
    typeof v === "object" &&
    v !== null &&
    "records" in v &&
    "seconds" in v &&
    typeof v.records === "number" &&
    typeof v.seconds === "number"
  ) {
    return { records: v.records, seconds: v.seconds };
  }
  throw new Error(`unexpected child output: ${stdout.slice(0, 200)}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");

export const parseBenchmark: Benchmark = {
  name: "parse",
  title: "WhatsApp parse: upstander vs whatsapp-chat-parser",
  async run({ quick }) {
    const messages = quick ? 5000 : 1_000_000;
    const dir = await mkdtemp(join(os.tmpdir(), "upstander-parse-bench-"));
    const rows: string[] = [];
    const inproc: string[] = [];
    try {
      for (const variant of ["android", "ios"] as const) {
        const file = join(dir, `${variant}.txt`);
        await writeExport(file, { variant, messages, seed: 7 });
        const size = statSync(file).size;
        const ours = await measure(["bin/upstander.js", "parse", "--json", file], "devnull");
        const inRun = await measure(["bin/run-ts.js", "bench/parse-child.ts", "ours", file], "capture");
        const inRes = childResult(inRun.stdout);
        const peerRun = await measure(["bin/run-ts.js", "bench/parse-child.ts", "peer", file], "capture");
        const peer = childResult(peerRun.stdout);
        const oursRate = inRes.records / ours.wallSeconds;
        const peerRate = peer.records / peer.seconds;
        process.stderr.write(
          `parse bench ${variant}: cli ${ours.wallSeconds.toFixed(2)} s ${fmt(ours.peakRssMb)} MB; in-process ${inRes.seconds.toFixed(2)} s ${fmt(inRun.peakRssMb)} MB; peer ${peer.seconds.toFixed(2)} s ${fmt(peerRun.peakRssMb)} MB\n`,
        );
        rows.push(
          `| ${variant} | ${fmt(inRes.records)} | ${(size / 2 ** 20).toFixed(1)} MiB | ${ours.wallSeconds.toFixed(2)} s | ${fmt(oursRate)} | ${fmt(ours.peakRssMb)} MB | ${peer.seconds.toFixed(2)} s (process ${peerRun.wallSeconds.toFixed(2)} s) | ${fmt(peer.records)} | ${fmt(peerRate)} | ${fmt(peerRun.peakRssMb)} MB | **${(oursRate / peerRate).toFixed(2)}x** | ${(peerRun.peakRssMb / ours.peakRssMb).toFixed(2)}x less |`,
        );
        inproc.push(
          `| ${variant} | ${fmt(inRes.records)} | ${inRes.seconds.toFixed(2)} s | ${fmt(inRes.records / inRes.seconds)} | ${fmt(inRun.peakRssMb)} MB | ${(size / 2 ** 20 / inRes.seconds).toFixed(1)} MiB/s |`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    return [
      `Generated exports (bench/generate-export.ts, seed 7): ${fmt(messages)} records each, 60 participants, multi-line messages, emoji, attachments with captions, omitted media, deleted/edited messages, system events.`,
      "",
      "Ours is the whole `upstander parse --json FILE > /dev/null` process (start-up through tsx, two passes, NDJSON output). The peer's time is its own in-process read + `parseString(text, { parseAttachments: true })` only (start-up and output excluded), so the ratio is conservative. msgs/s counts records. Peak RSS: `/usr/bin/time -f %M` (whole process).",
      "",
      "| export | records | size | ours: CLI --json wall | ours msgs/s | ours peak RSS | peer parse | peer records | peer msgs/s | peer peak RSS | speed ours/peer | memory |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "Our parser in process, no output (bench/parse-child.ts `ours`; records discarded after each batch):",
      "",
      "| export | records | parse time | msgs/s | peak RSS | throughput |",
      "|---|---|---|---|---|---|",
      ...inproc,
      "",
      `Load average when the run finished: ${load} (the machine is shared; figures are indicative).`,
    ].join("\n");
  },
};
