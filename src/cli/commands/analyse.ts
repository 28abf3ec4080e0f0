/**
 * @module analyse-command
 * `upstander analyse <export>`: parse, classify and analyse one export on this machine (no server),
 * then write the evidence report. Progress goes to stderr; the files written and their SHA-256 to stdout.
 */
import { Option, type Command } from "commander";
import cliProgress from "cli-progress";
import { AppError } from "../../contract/errors.ts";
import { analyseExport, type AnalysisStage } from "../../services/analyse-export.ts";
import { openClassifiers } from "../../services/analysis/open-classifiers.ts";
import { buildCaseUcoBundle } from "../../services/report/build-case-uco.ts";
import { writeReport, type ReportTargets, type WrittenFile } from "../../services/report/write-report.ts";
import { DEFAULT_CONDUCT_SETTINGS } from "../../domain/conduct/analyse-conduct.ts";
import { CHAT_FORMATS } from "../../domain/formats/registry.ts";
import { ingestExport } from "../../services/ingest-export.ts";
import { DEFAULT_ORG_ID, openRuntime } from "../../services/runtime.ts";
import { userInfo } from "node:os";

export interface AnalyseCliOptions {
  out?: string;
  pdf?: string;
  json?: string;
  caseUco?: string;
  case?: string;
  scope?: string;
  windowMinutes: string;
  windowMessages: string;
  images: boolean;
  ocr: boolean;
  textModels?: string;
  progress: boolean;
  ingest: boolean;
  acquiredBy?: string;
}

/**
 * Stores the export in the evidence store with its acquisition record (embedded database under
 * UPSTANDER_DATA_DIR), so that the analysis is of recorded evidence. Needs a case and a scope.
 */
async function ingestFirst(
  path: string,
  o: AnalyseCliOptions,
): Promise<{ id: string; acquiredAt: string; acquiredBy: string; sha256: string } | null> {
  if (!o.ingest) {
    return null;
  }
  if (!o.case || !o.scope) {
    process.stderr.write(
      "analyse: not stored as evidence (give --case and --scope to record the acquisition)\n",
    );
    return null;
  }
  const rt = await openRuntime();
  try {
    const res = await ingestExport(
      { db: rt.db, store: rt.store, formats: CHAT_FORMATS },
      {
        orgId: DEFAULT_ORG_ID,
        caseRef: o.case,
        input: path,
        acquiredBy: o.acquiredBy ?? userInfo().username,
        scope: { statement: o.scope },
      },
    );
    const a = res.acquisition;
    process.stderr.write(
      `analyse: stored as evidence, acquisition ${a.id}${res.ok ? "" : " (the evidence store could not parse it)"}\n`,
    );
    return { id: a.id, acquiredAt: a.acquiredAt.toISOString(), acquiredBy: a.acquiredBy, sha256: a.sha256 };
  } finally {
    await rt.close();
  }
}

const STAGE_LABEL: Record<AnalysisStage, string> = {
  parse: "parse   ",
  text: "texts   ",
  images: "pictures",
  "ocr-text": "ocr text",
  stance: "replies ",
  analyse: "analyse ",
};

function positive(name: string, v: string, integer: boolean): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new AppError("INVALID_INPUT", {
      userMessage: `${name} must be a positive ${integer ? "integer" : "number"}`,
    });
  }
  return n;
}

/** Runs the analysis and writes the outputs; shared with `upstander demo`. */
export async function runAnalyse(path: string, o: AnalyseCliOptions): Promise<WrittenFile[]> {
  const settings = {
    ...DEFAULT_CONDUCT_SETTINGS,
    windowMinutes: positive("--window-minutes", o.windowMinutes, false),
    windowMessages: positive("--window-messages", o.windowMessages, true),
  };
  const bar =
    o.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: "{stage} [{bar}] {value}/{total}", stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let current: AnalysisStage | null = null;
  const onProgress = (stage: AnalysisStage, done: number, total: number): void => {
    if (!o.progress) {
      return;
    }
    if (!bar) {
      if (stage !== current) {
        process.stderr.write(`analyse: ${STAGE_LABEL[stage].trim()}${total > 0 ? ` (${total})` : ""}\n`);
      }
      current = stage;
      return;
    }
    if (stage !== current) {
      if (current) {
        bar.stop();
      }
      bar.start(Math.max(total, done, 1), done, { stage: STAGE_LABEL[stage] });
      current = stage;
    } else {
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done);
    }
  };
  const acquisition = await ingestFirst(path, o);
  const classifiers = await openClassifiers({ images: o.images, ocr: o.ocr, textModels: o.textModels });
  try {
    const res = await analyseExport(
      path,
      { text: classifiers.text, images: classifiers.images, onProgress },
      { caseRef: o.case ?? null, scope: o.scope ?? null, settings, acquisition },
    );
    bar?.stop();
    try {
      if (acquisition && acquisition.sha256 !== res.report.export.sha256) {
        throw new AppError("INTEGRITY_FAILURE", {
          userMessage: "the file changed between storing it as evidence and analysing it",
        });
      }
      const targets: ReportTargets = { html: o.out, pdf: o.pdf, json: o.json };
      if (o.caseUco) {
        targets.caseUco = { path: o.caseUco, document: buildCaseUcoBundle(res.report, res.records) };
      }
      const written = await writeReport(res.report, res.media, targets);
      const c = res.report.conduct;
      process.stderr.write(
        `analyse: ${res.report.export.messageCount} messages, ${c.participants.length} participants, ${c.items.length} flagged items; stages ${Object.entries(
          res.report.timings,
        )
          .map(([k, v]) => `${k} ${v} ms`)
          .join(", ")}\n`,
      );
      return written;
    } finally {
      await res.dispose();
    }
  } finally {
    bar?.stop();
    await classifiers.close();
  }
}

/** Adds the analysis options shared by `analyse` and `demo`. */
export function analysisOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--case <ref>", "case reference recorded in the report").env("UPSTANDER_CASE"))
    .addOption(
      new Option("--scope <text>", "scope of the acquisition (which group, which dates, why)").env(
        "UPSTANDER_SCOPE",
      ),
    )
    .addOption(
      new Option("--window-minutes <n>", "reply window after a flagged item, minutes")
        .env("UPSTANDER_WINDOW_MINUTES")
        .default(String(DEFAULT_CONDUCT_SETTINGS.windowMinutes)),
    )
    .addOption(
      new Option("--window-messages <n>", "reply window after a flagged item, messages")
        .env("UPSTANDER_WINDOW_MESSAGES")
        .default(String(DEFAULT_CONDUCT_SETTINGS.windowMessages)),
    )
    .addOption(new Option("--no-images", "do not classify pictures"))
    .addOption(new Option("--no-ocr", "do not read text inside pictures (faster)"))
    .addOption(new Option("--text-models <dir>", "folder of the text models").env("UPSTANDER_TEXT_MODELS"))
    .addOption(new Option("--no-progress", "no progress on stderr"))
    .addOption(new Option("--no-ingest", "do not store the export in the evidence store first"))
    .addOption(
      new Option("--acquired-by <name>", "who acquired the export (recorded with it)").env(
        "UPSTANDER_ACQUIRED_BY",
      ),
    );
}

/** Prints what was written, one line per file: sha256, two spaces, path (sha256sum style). */
export function printWritten(files: readonly WrittenFile[]): void {
  for (const f of files) {
    process.stdout.write(`${f.sha256}  ${f.path}\n`);
  }
}

/** Registers `upstander analyse`. */
export function registerAnalyseCommand(program: Command): void {
  analysisOptions(
    program
      .command("analyse")
      .argument("<export>", "a WhatsApp export: _chat.txt or the zip with media")
      .description("Analyse one chat export on this machine and write the evidence report")
      .addOption(new Option("--out <file>", "HTML report").default("report.html"))
      .addOption(new Option("--pdf <file>", "PDF report"))
      .addOption(new Option("--json <file>", "machine-readable analysis (JSON)"))
      .addOption(
        new Option("--case-uco <file>", "CASE/UCO JSON-LD bundle of the thread and its attachments"),
      ),
  )
    .addHelpText(
      "after",
      `\nExamples:\n  upstander analyse "WhatsApp Chat - Team.zip" --out report.html --pdf report.pdf --json analysis.json\n  upstander analyse chat.zip --case PSD-2024-017 --scope "Team B group, 1 Feb-8 Mar 2024, authorised by DCI X" --case-uco bundle.jsonld`,
    )
    .action(async (path: string, o: AnalyseCliOptions) => {
      printWritten(await runAnalyse(path, o));
    });
}
