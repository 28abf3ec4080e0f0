/**
 * @module classify-command
 * `upstander classify`: JSON lines {"id","text","replyTo"?} on stdin → one JSON line per input on
 * stdout, in order: {"id","scores","flagged","reasons","stance"?}, or {"id","line","error"} for a bad line.
 */
import type { Command } from "commander";
import { once } from "node:events";
import os from "node:os";
import { AppError } from "../../contract/errors.ts";
import { classifyJsonlStream } from "../../services/classify-jsonl-stream.ts";
import { createTextClassifier } from "../../services/classify-texts.ts";

/** CPU time of the whole process (all threads), in seconds. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Registers `upstander classify`. */
export function registerClassifyCommand(program: Command): void {
  program
    .command("classify")
    .description("Classify chat messages (JSON lines on stdin) for misconduct categories and reply stance")
    .option(
      "--threads <n>",
      "worker threads (0 = classify on the main thread)",
      String(os.availableParallelism()),
    )
    .option("--models <dir>", "folder holding text-messages.{json,bin} and text-stance.{json,bin}")
    .option("--quiet", "do not print the summary line on stderr")
    .action(async (opts: { threads: string; models?: string; quiet?: boolean }) => {
      const threads = Number(opts.threads);
      if (!Number.isInteger(threads) || threads < 0 || threads > 64) {
        throw new AppError("INVALID_INPUT", { userMessage: "--threads must be an integer from 0 to 64" });
      }
      const classifier = await createTextClassifier({ threads, modelsDir: opts.models });
      const t0 = performance.now();
      const cpu0 = cpuSeconds();
      try {
        const stats = await classifyJsonlStream(process.stdin, classifier, async (s) => {
          if (!process.stdout.write(s)) await once(process.stdout, "drain");
        });
        if (!opts.quiet) {
          const secs = (performance.now() - t0) / 1000;
          process.stderr.write(
            `classify: ${stats.lines} lines (${stats.errors} errors) in ${secs.toFixed(2)} s (CPU ${(cpuSeconds() - cpu0).toFixed(2)} s); peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; models ${classifier.models.message.name} ${classifier.models.message.version}, ${classifier.models.stance.name} ${classifier.models.stance.version}\n`,
          );
        }
      } finally {
        await classifier.close();
      }
    });
}
