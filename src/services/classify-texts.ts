/**
 * @module classify-texts
 * The text detectors as a library: `createTextClassifier()` loads the shipped models and classifies
 * messages (and reply stance) either in-process or spread over worker threads (piscina), returning
 * results in input order. The analysis calls this in-process; `upstander classify` uses the threads.
 */
import { Piscina } from "piscina";
import { z } from "zod";
import {
  ClassifyResultSchema,
  TEXT_CATEGORIES,
  type ClassifyInput,
  type ClassifyResult,
  type TextCategory,
} from "../contract/detection.ts";
import { createTextClassifierCore, type ClassifyFailure } from "../domain/detect/text-classifier.ts";
import { classifyLineBatch, type BatchOutput, type LineBatch } from "./classify-lines.ts";
import {
  DEFAULT_MODELS_DIR,
  loadTextModelHeaders,
  loadTextModels,
  MESSAGE_MODEL,
  STANCE_MODEL,
} from "./load-text-models.ts";
import type { WorkerTask } from "./classify-worker.ts";

export interface ModelInfo {
  name: string;
  version: string;
  sha256: string;
}

export interface TextClassifier {
  /** Classifies inputs; results come back in the same order, a bad input as `{id, error}`. */
  classify(inputs: ClassifyInput[]): Promise<Array<ClassifyResult | ClassifyFailure>>;
  /** Classifies a batch of raw JSON lines (the CLI protocol); returns the output lines. */
  classifyLines(batch: LineBatch): Promise<BatchOutput>;
  /** The models and decision thresholds in use, for recording alongside results. */
  models: { message: ModelInfo; stance: ModelInfo };
  thresholds: Record<TextCategory, number>;
  /** Worker threads in use (0: in-process). */
  threads: number;
  close(): Promise<void>;
}

export interface TextClassifierOptions {
  modelsDir?: string;
  /**
   * Worker threads; 0 (the default) classifies on the calling thread. Threads pay off for the CLI,
   * which hands them raw lines; for arrays of objects the structured cloning costs more than it saves
   * (see the classify section of docs/BENCHMARKS.md).
   */
  threads?: number;
}

// What comes back from a worker thread is checked like any other boundary.
const BatchOutputSchema = z.object({ text: z.string(), errors: z.number() });
const WorkerResultsSchema = z.array(
  z.union([ClassifyResultSchema, z.object({ id: z.union([z.string(), z.number()]), error: z.string() })]),
);

/** Chunk size when spreading an in-memory array over worker threads. */
const CHUNK = 2000;

/** Loads the models and returns a classifier; call `close()` when done to stop its threads. */
export async function createTextClassifier(opts: TextClassifierOptions = {}): Promise<TextClassifier> {
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const threads = opts.threads ?? 0;
  // Worker threads load their own copy; the calling thread then needs (verified) headers only.
  const loaded = threads <= 0 ? await loadTextModels(modelsDir) : undefined;
  const headers = loaded ?? (await loadTextModelHeaders(modelsDir));
  const h = headers.messageHeader;
  const thresholds = Object.fromEntries(
    TEXT_CATEGORIES.map((c) => [c, h.thresholds?.[h.classes.indexOf(c)] ?? 0.5]),
  ) as Record<TextCategory, number>;
  const models = {
    message: { name: MESSAGE_MODEL, version: h.version, sha256: h.sha256 },
    stance: {
      name: STANCE_MODEL,
      version: headers.stanceHeader.version,
      sha256: headers.stanceHeader.sha256,
    },
  };
  if (loaded) {
    const core = createTextClassifierCore(loaded);
    return {
      classify: (inputs) => Promise.resolve(inputs.map((i) => core.classify(i))),
      classifyLines: (batch) => Promise.resolve(classifyLineBatch(core, batch)),
      models,
      thresholds,
      threads: 0,
      close: () => Promise.resolve(),
    };
  }
  const pool = new Piscina({
    filename: new URL("./classify-worker-entry.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    workerData: { modelsDir },
    // Bounded: callers keep a few batches in flight; this is a backstop against unbounded queues.
    maxQueue: threads * 16,
  });
  const run = (task: WorkerTask): Promise<unknown> => pool.run(task);
  return {
    async classify(inputs) {
      const parts: Promise<unknown>[] = [];
      for (let i = 0; i < inputs.length; i += CHUNK) {
        parts.push(run({ kind: "inputs", inputs: inputs.slice(i, i + CHUNK) }));
      }
      const done = await Promise.all(parts);
      return done.flatMap((d) => WorkerResultsSchema.parse(d));
    },
    async classifyLines(batch) {
      return BatchOutputSchema.parse(await run({ kind: "lines", batch }));
    },
    models,
    thresholds,
    threads,
    close: () => pool.destroy(),
  };
}
