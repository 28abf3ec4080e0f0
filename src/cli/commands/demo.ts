/**
 * @module demo-command
 * `upstander demo`: analyses the bundled fictional export (tests/fixtures/exports/demo) and writes the
 * report to ./data/demo-report.{html,pdf,json} and ./data/demo-case-uco.jsonld.
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { AnalysisReportSchema, ROLES } from "../../contract/analysis.ts";
import { loadRuntimeConfig } from "../../services/runtime.ts";
import { analysisOptions, printWritten, runAnalyse, type AnalyseCliOptions } from "./analyse.ts";

export const DEMO_EXPORT = fileURLToPath(
  new URL("../../../tests/fixtures/exports/demo/WhatsApp Chat - Response Team B.zip", import.meta.url),
);

/** Registers `upstander demo`. */
export function registerDemoCommand(program: Command): void {
  analysisOptions(
    program
      .command("demo")
      .description("Analyse the bundled fictional demo export and write its report in the data directory")
      .option("--dir <folder>", "where to write the outputs (default: the data directory, ./data)"),
  ).action(async (o: AnalyseCliOptions & { dir?: string }) => {
    const dir = relative(process.cwd(), o.dir ?? loadRuntimeConfig().dataDir) || ".";
    const files = await runAnalyse(DEMO_EXPORT, {
      ...o,
      case: o.case ?? "DEMO-0001",
      scope:
        o.scope ??
        "Demo: one fictional group chat (Response Team B), whole export; all people and pictures invented",
      out: join(dir, "demo-report.html"),
      pdf: join(dir, "demo-report.pdf"),
      json: join(dir, "demo-analysis.json"),
      caseUco: join(dir, "demo-case-uco.jsonld"),
    });
    await printRoles(join(dir, "demo-analysis.json"));
    printWritten(files);
    process.stderr.write(`demo: open ${join(dir, "demo-report.html")} in a browser\n`);
  });
}

/** The participant matrix in a terminal: who posted, endorsed, challenged, stayed active without challenging. */
async function printRoles(jsonPath: string): Promise<void> {
  const report = AnalysisReportSchema.parse(JSON.parse(await readFile(jsonPath, "utf8")));
  const head = ["participant", ...ROLES].map((h) => h.padEnd(h === "participant" ? 22 : 17)).join("");
  const rows = report.conduct.participants.map((p) =>
    [p.name.slice(0, 21).padEnd(22), ...ROLES.map((r) => String(p.roles[r].count).padEnd(17))].join(""),
  );
  process.stdout.write(
    `\nParticipants (counts of flagged items per role; "silent_bystander" = active in the window, no challenge seen):\n${head}\n${rows.join("\n")}\n\n`,
  );
}
