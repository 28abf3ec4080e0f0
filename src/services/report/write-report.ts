/**
 * @module write-report
 * Writes the outputs of an analysis (HTML, PDF, JSON, CASE/UCO bundle), each with its SHA-256 written
 * beside it as `<file>.sha256` in the `sha256sum` format, so a recipient can check what they were given.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { AnalysisReportSchema, type AnalysisReport } from "../../contract/analysis.ts";
import { renderHtml } from "../../domain/report/render-html.ts";
import type { MediaFile } from "../analysis/read-export.ts";
import { blurredThumbnails, htmlThumbnails, type ThumbnailSource } from "./make-thumbnails.ts";
import { renderPdf, type PdfOptions } from "./render-pdf.ts";

export interface ReportTargets {
  html?: string;
  pdf?: string;
  json?: string;
  /** A CASE/UCO JSON-LD document already rendered by the caller. */
  caseUco?: { path: string; document: unknown };
}

export interface WrittenFile {
  kind: "html" | "pdf" | "json" | "case-uco";
  path: string;
  sha256: string;
  bytes: number;
}

/** Pictures the report shows: attachments of flagged items, their context and the victims worklist. */
function pictures(report: AnalysisReport, media: ReadonlyMap<string, MediaFile>): ThumbnailSource[] {
  const names = new Set<string>();
  for (const c of report.context) {
    for (const a of c.attachments) {
      names.add(a);
    }
  }
  for (const g of report.conduct.images) {
    for (const o of g.occurrences) {
      names.add(o.fileName);
    }
  }
  return [...names].flatMap((n) => {
    const m = media.get(n);
    return m && /\.(jpe?g|png|webp|gif|tiff?)$/i.test(n) ? [{ fileName: n, path: m.path }] : [];
  });
}

async function write(kind: WrittenFile["kind"], path: string, data: Buffer | string): Promise<WrittenFile> {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, buf);
  const sha256 = createHash("sha256").update(buf).digest("hex");
  await writeFile(`${path}.sha256`, `${sha256}  ${basename(path)}\n`);
  return { kind, path, sha256, bytes: buf.length };
}

/** Renders and writes the requested outputs; returns what was written with hashes. */
export async function writeReport(
  report: AnalysisReport,
  media: ReadonlyMap<string, MediaFile>,
  targets: ReportTargets,
  pdf: PdfOptions = {},
): Promise<WrittenFile[]> {
  const out: WrittenFile[] = [];
  const pics = pictures(report, media);
  if (targets.html) {
    out.push(await write("html", targets.html, renderHtml(report, await htmlThumbnails(pics))));
  }
  if (targets.pdf) {
    out.push(await write("pdf", targets.pdf, await renderPdf(report, await blurredThumbnails(pics), pdf)));
  }
  // The JSON is a published contract: check it against its schema before anyone receives it.
  if (targets.json) {
    out.push(
      await write("json", targets.json, JSON.stringify(AnalysisReportSchema.parse(report), null, 2) + "\n"),
    );
  }
  if (targets.caseUco) {
    out.push(
      await write("case-uco", targets.caseUco.path, JSON.stringify(targets.caseUco.document, null, 2) + "\n"),
    );
  }
  return out;
}
