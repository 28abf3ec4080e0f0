/**
 * @module analyse-export
 * The whole analysis of one export: parse → classify message texts → classify the pictures present in
 * the zip (and the text read inside them) → judge the stance of every reply in each flagged item's
 * window → conduct analysis. Classifiers are ports passed in, so the use case runs with the shipped
 * models, with others, or with test doubles.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import {
  ANALYSIS_SCHEMA_VERSION,
  type AnalysisReport,
  type ConductSettings,
  type ContextRecord,
} from "../contract/analysis.ts";
import type { ClassifyInput, ClassifyResult, ImageResult } from "../contract/detection.ts";
import {
  analyseConduct,
  DEFAULT_CONDUCT_SETTINGS,
  stanceKey,
  stanceRequests,
  type StanceScores,
} from "../domain/conduct/analyse-conduct.ts";
import { buildFlaggedItems, replyToText, type ImageFinding } from "../domain/conduct/flagged-items.ts";
import type { ConductFramework } from "../domain/conduct/framework.ts";
import { EXPORT_LIMITATIONS } from "../domain/conduct/limitations.ts";
import type { ChatRecord } from "../domain/formats/chat-record.ts";
import { readExport, type MediaFile, type ReadExport } from "./analysis/read-export.ts";

export interface ModelInfo {
  name: string;
  version: string;
  thresholds: Record<string, number>;
}

/** Text and reply-stance classifier (src/services/classify-texts.ts implements it). */
export interface TextClassifierPort {
  classify(inputs: ClassifyInput[]): Promise<ClassifyResult[]>;
  readonly models: ModelInfo[];
}

/** Image classifier over files on disk (src/services/classify-images.ts implements it). */
export interface ImageClassifierPort {
  classifyAll(files: readonly string[]): Promise<ImageResult[]>;
  readonly models: ModelInfo[];
}

export type AnalysisStage = "parse" | "text" | "images" | "ocr-text" | "stance" | "analyse";

export interface AnalyseExportDeps {
  text: TextClassifierPort;
  /** Omitted: pictures are not classified and the report says so. */
  images?: ImageClassifierPort;
  onProgress?: (stage: AnalysisStage, done: number, total: number) => void;
  /** Wall clock for the report's timestamp (passed in so tests are deterministic). */
  now?: () => Date;
}

export interface AnalyseExportOptions {
  caseRef?: string | null;
  /** The evidence-store acquisition of this file, when it was ingested first (recorded in the report). */
  acquisition?: { id: string; acquiredAt: string; acquiredBy: string } | null;
  scope?: string | null;
  settings?: ConductSettings;
  framework?: ConductFramework;
  /** Texts per classifier call. Default 2000. */
  batchSize?: number;
  /** Pictures per classifier call (progress granularity). Default 32. */
  imageBatchSize?: number;
  /** Folder for extracted media; default a fresh temporary folder removed by `dispose`. */
  workDir?: string;
}

export interface AnalysedExport {
  report: AnalysisReport;
  records: ChatRecord[];
  media: Map<string, MediaFile>;
  /** Removes the extracted media (when the folder was created here). */
  dispose(): Promise<void>;
}

const IMAGE_FILE = /\.(jpe?g|png|webp|gif|heic|bmp|tiff?)$/i;

async function inBatches<T, R>(
  items: T[],
  size: number,
  run: (b: T[]) => Promise<R[]>,
  tick: (n: number) => void,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await run(items.slice(i, i + size))));
    tick(Math.min(items.length, i + size));
  }
  return out;
}

/**
 * Analyses the export at `path`.
 * @throws AppError when the file cannot be opened or is not a chat export
 */
export async function analyseExport(
  path: string,
  deps: AnalyseExportDeps,
  opts: AnalyseExportOptions = {},
): Promise<AnalysedExport> {
  const progress = deps.onProgress ?? (() => {});
  const settings = opts.settings ?? DEFAULT_CONDUCT_SETTINGS;
  const batch = opts.batchSize ?? 2000;
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = Math.round(t - t0);
    t0 = t;
  };
  const ownDir = opts.workDir ? null : await mkdtemp(join(tmpdir(), "upstander-analyse-"));
  const workDir = opts.workDir ?? ownDir ?? tmpdir();
  const dispose = async (): Promise<void> => {
    if (ownDir) {
      await rm(ownDir, { recursive: true, force: true });
    }
  };
  try {
    // Pictures are classified (in worker threads) while the chat is parsed and its texts classified
    // on this thread: a picture goes to the image classifier as soon as it is extracted and a message
    // has referred to it (a member no message refers to is never part of a finding).
    const pictures = deps.images
      ? startPictureStage(deps.images, opts.imageBatchSize ?? 32, (done, total) =>
          progress("images", done, total),
        )
      : null;
    const ex = await readExport(
      path,
      workDir,
      (n, added) => {
        progress("parse", n, 0);
        pictures?.referenced(added);
      },
      (name, file) => pictures?.add(name, file),
    );
    const { records } = ex;
    lap("parse");

    const texts = records.filter((r) => r.kind === "message" && r.text.trim() !== "");
    progress("text", 0, texts.length);
    const textRes = await inBatches(
      texts.map((r) => ({ id: r.index, text: r.text })),
      batch,
      (b) => deps.text.classify(b),
      (n) => progress("text", n, texts.length),
    );
    const textResults = new Map<number, ClassifyResult>();
    texts.forEach((r, i) => {
      const res = textRes[i];
      if (res) {
        textResults.set(r.index, res);
      }
    });
    lap("text");

    const images = pictures ? await pictures.findings(ex) : [];
    if (pictures) {
      // Wall time of the whole picture stage (it overlaps parse and text), and the part of it spent
      // waiting after they had finished: the stages do not add up to the total.
      timings.images = pictures.spanMs();
    }
    lap("imagesWait");
    await classifyOcrText(images, deps.text, batch, progress);
    lap("ocrText");

    const drafts = buildFlaggedItems(records, textResults, images);
    const reqs = stanceRequests(records, drafts, settings);
    progress("stance", 0, reqs.length);
    const stanceRes = await inBatches(
      reqs.map((q, i) => ({
        id: i,
        text: records[q.reply]?.text ?? "",
        replyTo: replyToText(records, q.item, images),
      })),
      batch,
      (b) => deps.text.classify(b),
      (n) => progress("stance", n, reqs.length),
    );
    const stances = new Map<string, StanceScores>();
    reqs.forEach((q, i) => {
      const s = stanceRes[i]?.stance;
      if (s) {
        stances.set(stanceKey(q.item.recordIndex, q.reply), s);
      }
    });
    lap("stance");

    const conduct = analyseConduct({
      records,
      textResults,
      images,
      stances,
      settings,
      framework: opts.framework,
      exportId: ex.sha256.slice(0, 12),
    });
    progress("analyse", 1, 1);
    lap("analyse");

    const report: AnalysisReport = {
      schemaVersion: ANALYSIS_SCHEMA_VERSION,
      export: {
        fileName: ex.fileName,
        sha256: ex.sha256,
        size: ex.size,
        format: ex.summary.format,
        variant: ex.summary.variant,
        chatTitle: ex.summary.chatTitle,
        dateOrder: `${ex.summary.dateOrder.order} (${ex.summary.dateOrder.status}: ${ex.summary.dateOrder.evidence})`,
        recordCount: ex.summary.recordCount,
        messageCount: ex.summary.messageCount,
        firstTimestamp: ex.summary.firstTimestamp,
        lastTimestamp: ex.summary.lastTimestamp,
        issueCount: ex.summary.issues.length + ex.summary.issuesTruncated,
        members: [...ex.media.values()].map((m) => ({ path: m.member, size: m.size, sha256: m.sha256 })),
      },
      acquisition: {
        acquisitionId: opts.acquisition?.id ?? null,
        acquiredAt: opts.acquisition?.acquiredAt ?? null,
        acquiredBy: opts.acquisition?.acquiredBy ?? null,
        caseRef: opts.caseRef ?? null,
        scope: opts.scope ?? null,
        analysedAt: (deps.now ?? (() => new Date()))().toISOString(),
        tool: "upstander analyse 0.1.0",
      },
      models: [...deps.text.models, ...(deps.images?.models ?? [])],
      conduct,
      context: contextRecords(
        records,
        conduct.items.flatMap((it) => [it.recordIndex, ...it.replies.map((r) => r.recordIndex)]),
      ),
      limitations: [
        ...EXPORT_LIMITATIONS,
        ...(deps.images
          ? []
          : [
              "Pictures were not classified in this run (no image classifier): only message text was analysed.",
            ]),
      ],
      timings,
    };
    return { report, records, media: ex.media, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/**
 * The picture stage: a picture is sent to the image classifier once it is both extracted and referred
 * to by a record (in either order), in batches, several batches in flight so the worker threads never
 * wait for the caller; identical files (same SHA-256) are classified once and the result reused for
 * every copy. Results are joined to the chat's attachments once the parse is done.
 */
interface PictureStage {
  /** A file extracted from the export; pictures are queued once a record refers to them. */
  add(name: string, file: MediaFile): void;
  /** Records just parsed: the pictures their attachments name are wanted. */
  referenced(records: readonly ChatRecord[]): void;
  /** Waits for every picture, then pairs each picture attachment of the chat with its result. */
  findings(ex: ReadExport): Promise<ImageFinding[]>;
  /** Milliseconds from the first picture queued to the last result. */
  spanMs(): number;
}

function startPictureStage(
  port: ImageClassifierPort,
  batchSize: number,
  onProgress: (done: number, total: number) => void,
): PictureStage {
  const results = new Map<string, ImageResult>();
  const seen = new Set<string>();
  const unreferenced = new Map<string, MediaFile>(); // extracted pictures no record has named yet
  const named = new Set<string>(); // attachment names seen before their file was extracted
  const inFlight: Promise<void>[] = [];
  let pending: MediaFile[] = [];
  let done = 0;
  let waiting = false;
  let started = 0;
  let finished = 0;
  const flush = (): void => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) {
      return;
    }
    const call = port.classifyAll(batch.map((m) => m.path)).catch((e: unknown) =>
      // A failed call loses only its own batch, reported on each of its files.
      batch.map((m): ImageResult => ({
        file: m.path,
        error: `image classifier failed: ${e instanceof Error ? e.message : String(e)}`,
      })),
    );
    inFlight.push(
      call.then((rs) => {
        batch.forEach((m, i) => results.set(m.sha256, rs[i] ?? { file: m.path, error: "no result" }));
        done += batch.length;
        finished = performance.now();
        if (waiting) {
          onProgress(done, seen.size);
        }
      }),
    );
  };
  const queue = (file: MediaFile): void => {
    if (seen.has(file.sha256)) {
      return;
    }
    started ||= performance.now();
    seen.add(file.sha256);
    pending.push(file);
    if (pending.length >= batchSize) {
      flush();
    }
  };
  return {
    add(name, file) {
      if (!IMAGE_FILE.test(name)) {
        return;
      }
      if (named.has(name)) {
        queue(file);
      } else {
        unreferenced.set(name, file);
      }
    },
    referenced(records) {
      for (const r of records) {
        for (const { fileName } of r.attachments) {
          const file = unreferenced.get(fileName);
          if (file) {
            unreferenced.delete(fileName);
            queue(file);
          } else {
            named.add(fileName);
          }
        }
      }
    },
    async findings(ex) {
      flush();
      waiting = true;
      onProgress(done, seen.size);
      await Promise.all(inFlight);
      const out: ImageFinding[] = [];
      for (const r of ex.records) {
        for (const a of r.attachments) {
          const m = ex.media.get(a.fileName);
          const res = m && IMAGE_FILE.test(a.fileName) ? results.get(m.sha256) : undefined;
          if (m && res) {
            out.push({
              recordIndex: r.index,
              fileName: a.fileName,
              sha256: m.sha256,
              result: { ...res, file: m.path, sha256: m.sha256 },
            });
          }
        }
      }
      return out;
    },
    spanMs: () => (started ? Math.round(finished - started) : 0),
  };
}

/** Text read inside pictures goes through the same text classifier (unless the image service did it). */
async function classifyOcrText(
  images: ImageFinding[],
  text: TextClassifierPort,
  batch: number,
  progress: NonNullable<AnalyseExportDeps["onProgress"]>,
): Promise<void> {
  const todo = images.filter((im) => !im.result.text && (im.result.ocrText ?? "").trim().length >= 3);
  progress("ocr-text", 0, todo.length);
  const res = await inBatches(
    todo.map((im, i) => ({ id: i, text: im.result.ocrText ?? "" })),
    batch,
    (b) => text.classify(b),
    (n) => progress("ocr-text", n, todo.length),
  );
  todo.forEach((im, i) => {
    const r = res[i];
    if (r) {
      const { id: _id, ...rest } = r;
      im.result = { ...im.result, text: rest };
    }
  });
}

/** Five records before and after each listed index, and the index itself. */
function contextRecords(records: readonly ChatRecord[], indices: number[]): ContextRecord[] {
  const keep = new Set<number>();
  for (const i of indices) {
    for (let j = Math.max(0, i - 5); j <= Math.min(records.length - 1, i + 5); j++) {
      keep.add(j);
    }
  }
  return [...keep]
    .sort((a, b) => a - b)
    .flatMap((i) => {
      const r = records[i];
      return r
        ? [
            {
              index: r.index,
              timestamp: r.timestamp,
              author: r.author,
              kind: r.kind,
              text: r.text,
              attachments: r.attachments.map((a) => a.fileName),
            },
          ]
        : [];
    });
}
