/**
 * @module classify-images
 * The image detector as a reusable service: explicit / suggestive / neutral (nsfwjs), faces and
 * "real person likely" (face-api), a perceptual hash, and optionally the text inside the image (OCR).
 * Used by `upstander classify-image` and by the analysis of a whole export's media.
 *
 * CPU work is spread over a piscina pool of worker threads, each holding its own copy of the models
 * (the tfjs WASM backend cannot use threads under Node). Files go to the workers in small batches
 * (one forward pass per batch); results come back in input order. OCR runs in a separate pool of
 * tesseract.js workers. See docs/decisions/020-image-detection.md.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { z } from "zod";
import { ImageResultSchema, type ImageResult } from "../contract/detection.ts";
import { analyseImages, type AnalysedImage } from "./images/analyse-images.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./images/decode-image.ts";
import {
  imageModelVersions,
  loadImageModels,
  NSFW_INPUT_SIZE,
  type ImageModels,
  type ImageModelVersions,
} from "./images/image-models.ts";
import type { ImageTask } from "./images/image-worker.ts";
import { createOcrPool, type OcrPool } from "./images/ocr-pool.ts";

/** What a worker sends back; checked because it crosses a thread boundary untyped. */
const WorkerReplySchema = z.array(
  z.object({ result: ImageResultSchema, ocrPng: z.instanceof(Uint8Array).optional() }),
);

export interface ImageClassifierOptions {
  /**
   * Read text in images with OCR. `true` or "auto": only images whose text-likelihood score passes
   * (light next to dark pixels, as in screenshots, documents and captions); "always": every image
   * (slow on photographs: seconds each). Default false. See ADR 020.
   */
  ocr?: boolean | "auto" | "always";
  /**
   * Detect faces (fills `faces` and `realPersonLikely`): true or "all" on every image, "flagged" only on
   * images classed explicit or suggestive (where "is a real person shown" matters most; much cheaper on
   * exports that are mostly ordinary photos; the skipped ones carry `notChecked.faces`), false never.
   * Default true (all); the analysis of an export uses "flagged" (ADR 020).
   */
  faces?: boolean | "all" | "flagged";
  /** Worker threads holding the models; 0 runs on the calling thread. Default: available cores, at most 4. */
  threads?: number;
  /** Tesseract workers when OCR is on. Default: same as threads, at least 1. */
  ocrWorkers?: number;
  /** Files per forward pass. Default 8. */
  batchSize?: number;
  /**
   * Tiny face detector input size (multiple of 32). Default 320: at 224 it found 2 of the ~20 faces in
   * six group photographs, at 320 17 (ADR 020).
   */
  faceInputSize?: number;
  /** Longest side of the image given to OCR. Default 1280. */
  ocrMaxSide?: number;
  limits?: Partial<DecodeLimits>;
}

export interface ImageClassifier {
  /** Classifies the files, yielding one result per file in input order; bad files yield `{ file, error }`. */
  classify(files: readonly string[]): AsyncIterable<ImageResult>;
  /** Same as classify, collected. */
  classifyAll(files: readonly string[]): Promise<ImageResult[]>;
  close(): Promise<void>;
  readonly versions: ImageModelVersions;
}

/** Creates a classifier; models load lazily on first use in each worker. Call close() when done. */
export async function createImageClassifier(options: ImageClassifierOptions = {}): Promise<ImageClassifier> {
  const threads = options.threads ?? Math.min(4, availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 8);
  const faces = options.faces !== false;
  const faceMode = options.faces === "flagged" ? "flagged" : "all";
  const faceInputSize = options.faceInputSize ?? 320;
  const ocrMode = options.ocr === "always" ? "always" : "auto";
  const ocrOn = options.ocr === true || options.ocr === "auto" || options.ocr === "always";
  const task: Omit<ImageTask, "files"> = {
    ocrMode,
    faceMode,
    models: { faces, faceInputSize, faceScoreThreshold: 0.5 },
    decode: {
      classifierSize: NSFW_INPUT_SIZE,
      faceSize: faces ? faceInputSize : 0,
      ocrSize: ocrOn ? (options.ocrMaxSide ?? 1280) : 0,
      limits: { ...DEFAULT_DECODE_LIMITS, ...options.limits },
    },
  };

  const pool =
    threads > 0
      ? new Piscina({
          filename: new URL("./images/image-worker-entry.js", import.meta.url).href,
          minThreads: threads,
          maxThreads: threads,
          // Each worker holds its models; keep them alive between batches.
          idleTimeout: Number.POSITIVE_INFINITY,
        })
      : undefined;
  let local: Promise<ImageModels> | undefined;
  const runBatch = async (files: string[]): Promise<AnalysedImage[]> => {
    if (pool) return WorkerReplySchema.parse(await pool.run({ ...task, files } satisfies ImageTask));
    local ??= loadImageModels(task.models);
    return analyseImages(await local, files, task.decode, ocrMode, faceMode);
  };
  const ocr: OcrPool | undefined = ocrOn
    ? await createOcrPool(options.ocrWorkers ?? Math.max(1, threads))
    : undefined;

  // ocrText absent: OCR off, or the image did not look like it holds text; "": OCR ran and read nothing.
  const withOcr = async (a: AnalysedImage): Promise<ImageResult> => {
    if (!ocr || !a.ocrPng || a.result.error) return a.result;
    try {
      return { ...a.result, ocrText: await ocr.read(a.ocrPng) };
    } catch (e) {
      return { ...a.result, error: `OCR failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  };

  // Batches in flight: enough to keep every worker busy while earlier results are consumed.
  const window = Math.max(2, threads * 2);

  async function* classify(files: readonly string[]): AsyncIterable<ImageResult> {
    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += batchSize) batches.push(files.slice(i, i + batchSize));
    const inFlight: Promise<Promise<ImageResult>[]>[] = [];
    const start = (b: string[]) =>
      inFlight.push(
        runBatch(b).then(
          (items) => items.map(withOcr),
          // A worker crash loses only its batch, reported per file.
          (e: unknown) =>
            b.map((file) =>
              Promise.resolve({
                file,
                error: `worker failed: ${e instanceof Error ? e.message : String(e)}`,
              }),
            ),
        ),
      );
    let next = 0;
    while (next < batches.length && inFlight.length < window) start(batches[next++] ?? []);
    while (inFlight.length > 0) {
      const head = inFlight.shift();
      if (!head) break;
      const results = await head;
      if (next < batches.length) start(batches[next++] ?? []);
      for (const r of results) yield await r;
    }
  }

  return {
    classify,
    async classifyAll(files) {
      const out: ImageResult[] = [];
      for await (const r of classify(files)) out.push(r);
      return out;
    },
    async close() {
      await Promise.all([pool?.destroy(), ocr?.close(), local?.then((m) => m.dispose())]);
    },
    versions: imageModelVersions(),
  };
}
