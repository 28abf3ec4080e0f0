/**
 * @module demo-command
 * `upstander demo`: analyses the bundled fictional export (tests/fixtures/exports/demo) and writes the
 * report to ./data/demo-report.{html,pdf,json} and ./data/demo-case-uco.jsonld.
 */
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { analysisOptions, printWritten, runAnalyse, type AnalyseCliOptions } from "./analyse.ts";

export const DEMO_EXPORT = fileURLToPath(
  new URL("../../../tests/fixtures/exports/demo/WhatsApp Chat - Response Team B.zip", import.meta.url),
);

/** Registers `upstander demo`. */
export function registerDemoCommand(program: Command): void {
  analysisOptions(
    program
      .command("demo")
      .description("Analyse the bundled fictional demo export and write its report under ./data/")
      .option("--dir <folder>", "where to write the outputs", "data"),
  ).action(async (o: AnalyseCliOptions & { dir: string }) => {
    const files = await runAnalyse(DEMO_EXPORT, {
      ...o,
      case: o.case ?? "DEMO-0001",
      scope:
        o.scope ??
        "Demo: one fictional group chat (Response Team B), whole export; all people and pictures invented",
      out: `${o.dir}/demo-report.html`,
      pdf: `${o.dir}/demo-report.pdf`,
      json: `${o.dir}/demo-analysis.json`,
      caseUco: `${o.dir}/demo-case-uco.jsonld`,
    });
    printWritten(files);
    process.stderr.write(`demo: open ${o.dir}/demo-report.html in a browser\n`);
  });
}
