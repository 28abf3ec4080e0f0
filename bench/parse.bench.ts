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
  /** User + system CPU seconds of the whole process (0 when /usr/bin/time is missing). */
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs `node args…` with stdout to a file (or /dev/null) and returns wall time and peak RSS. */
function measure(args: string[], stdoutTo: "devnull" | "capture"): Promise<Run> {
  const useTime = existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ["-f", "__PEAK_KB__%M %U %S", process.execPath, ...args] : args;
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
      const m = /__PEAK_KB__(\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (m) hwmKb = Number(m[1]);
      const cpuSeconds = m ? Number(m[2]) + Number(m[3]) : 0;
      if (code !== 0) {
        reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ wallSeconds, cpuSeconds, peakRssMb: hwmKb / 1024, stdout });
    });
  });
}

function childResult(stdout: string): { records: number; seconds: number; cpuSeconds: number } {
  const v: unknown = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
  if (
    typeof v === "object" &&
    v !== null &&
    "records" in v &&
    "seconds" in v &&
    "cpuSeconds" in v &&
    typeof v.records === "number" &&
    typeof v.seconds === "number" &&
    typeof v.cpuSeconds === "number"
  ) {
    return { records: v.records, seconds: v.seconds, cpuSeconds: v.cpuSeconds };
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
        const n = inRes.records;
        const cpuRatio = peer.cpuSeconds / ours.cpuSeconds;
        const wallRatio = peer.seconds / ours.wallSeconds;
        process.stderr.write(
          `parse bench ${variant}: cli ${ours.wallSeconds.toFixed(2)} s (${ours.cpuSeconds.toFixed(2)} s CPU) ${fmt(ours.peakRssMb)} MB; in-process ${inRes.seconds.toFixed(2)} s (${inRes.cpuSeconds.toFixed(2)} s CPU) ${fmt(inRun.peakRssMb)} MB; peer ${peer.seconds.toFixed(2)} s (${peer.cpuSeconds.toFixed(2)} s CPU) ${fmt(peerRun.peakRssMb)} MB\n`,
        );
        rows.push(
          `| ${variant} | ${fmt(n)} | ${(size / 2 ** 20).toFixed(1)} MiB | ${ours.wallSeconds.toFixed(2)} s / ${ours.cpuSeconds.toFixed(2)} s | ${fmt(n / ours.cpuSeconds)} | ${fmt(ours.peakRssMb)} MB | ${peer.seconds.toFixed(2)} s / ${peer.cpuSeconds.toFixed(2)} s | ${fmt(peer.records / peer.cpuSeconds)} | ${fmt(peerRun.peakRssMb)} MB | **${cpuRatio.toFixed(2)}x** (wall ${wallRatio.toFixed(2)}x) | ${(peerRun.peakRssMb / ours.peakRssMb).toFixed(1)}x less |`,
        );
        inproc.push(
          `| ${variant} | ${fmt(n)} | ${inRes.seconds.toFixed(2)} s / ${inRes.cpuSeconds.toFixed(2)} s | ${fmt(n / inRes.cpuSeconds)} | ${fmt(inRun.peakRssMb)} MB | ${(size / 2 ** 20 / inRes.cpuSeconds).toFixed(1)} MiB/s | **${(peer.cpuSeconds / inRes.cpuSeconds).toFixed(2)}x** |`,
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
      "Ours is the whole `upstander parse --json FILE > /dev/null` process (start-up through tsx, two passes, NDJSON output), wall and CPU (user+sys) from `/usr/bin/time`. The peer's figures are its own in-process read + `parseString(text, { parseAttachments: true })` only (start-up and output excluded; CPU from `process.cpuUsage`), so the ratio is conservative. The machine is shared by other jobs, so CPU time is the fairer comparison; msgs/s below are records per CPU second. Peak RSS: `/usr/bin/time -f %M` (whole process).",
      "",
      "| export | records | size | ours CLI --json wall / CPU | ours msgs/CPU-s | ours peak RSS | peer parse wall / CPU | peer msgs/CPU-s | peer peak RSS | speed ours/peer (CPU) | memory |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "Our parser in process, no output (bench/parse-child.ts `ours`; records discarded after each batch):",
      "",
      "| export | records | parse wall / CPU | msgs/CPU-s | peak RSS | throughput per CPU-s | speed vs peer (CPU) |",
      "|---|---|---|---|---|---|---|",
      ...inproc,
      "",
      `Load average when the run finished: ${load} (the machine is shared; figures are indicative).`,
    ].join("\n");
  },
};
