/**
 * @module classify-texts
 * The text detectors as a library: `createTextClassifier()` loads the shipped models and classifies
 * messages (and reply stance) either in-process or spread over worker threads, returning
 * results in input order. The analysis calls this in-process; `upstander classify` uses the threads.
 */
import { Worker } from "node:worker_threads";
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
  loadInferenceModels,
  MESSAGE_MODEL,
  STANCE_MODEL,
} from "./load-text-models.ts";
import type { WorkerReply, WorkerTask } from "./classify-worker.ts";
import { classifyWorkerUrl } from "./classify-worker-bundle.ts";

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
const WorkerReplySchema = z.discriminatedUnion("kind", [
  z.object({
    id: z.number(),
    kind: z.literal("lines"),
    bytes: z.instanceof(Uint8Array),
    lines: z.number(),
    errors: z.number(),
  }),
  z.object({ id: z.number(), kind: z.literal("inputs"), results: z.array(z.unknown()) }),
  z.object({ id: z.number(), kind: z.literal("failed"), error: z.string() }),
]);
const WorkerResultsSchema = z.array(
  z.union([ClassifyResultSchema, z.object({ id: z.union([z.string(), z.number()]), error: z.string() })]),
);

/**
 * A small young generation for each worker thread: a thread classifies one batch at a time and almost
 * everything it allocates dies with the message. V8's default (16 MB semi-spaces) let each thread grow
 * to about 30 MB more for no measurable speed; much smaller promotes more to the old generation.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Chunk size when spreading an in-memory array over worker threads. */
const CHUNK = 2000;

/** Loads the models and returns a classifier; call `close()` when done to stop its threads. */
export async function createTextClassifier(opts: TextClassifierOptions = {}): Promise<TextClassifier> {
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const threads = opts.threads ?? 0;
  // Worker threads load their own copy; the calling thread then needs (verified) headers only.
  const loaded = threads <= 0 ? await loadInferenceModels(modelsDir) : undefined;
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
  const pool = await startWorkers(threads, modelsDir);
  return {
    async classify(inputs) {
      const parts: Promise<unknown[]>[] = [];
      for (let i = 0; i < inputs.length; i += CHUNK) parts.push(pool.inputs(inputs.slice(i, i + CHUNK)));
      const done = await Promise.all(parts);
      return done.flatMap((d) => WorkerResultsSchema.parse(d));
    },
    classifyLines: (batch) => pool.lines(batch),
    models,
    thresholds,
    threads,
    close: () => pool.close(),
  };
}

interface WorkerPool {
  lines(batch: LineBatch): Promise<BatchOutput>;
  inputs(inputs: ClassifyInput[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * Starts `n` worker threads and hands each task to the one with the fewest tasks outstanding (the
 * callers bound how many are in flight). A batch's bytes are moved to the worker, not copied.
 */
async function startWorkers(n: number, modelsDir: string): Promise<WorkerPool> {
  const url = await classifyWorkerUrl();
  const workers: Worker[] = [];
  const outstanding: number[] = [];
  const waiting = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let closing = false;
  // Once a thread has failed or stopped, every task then outstanding and every later one is
  // rejected: a task posted to a stopped thread would never be answered.
  let failed: Error | undefined;
  const failAll = (e: Error): void => {
    failed ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  for (let i = 0; i < n; i++) {
    const w = new Worker(url, { workerData: { modelsDir }, resourceLimits: WORKER_LIMITS });
    w.on("message", (m: unknown) => {
      const reply = WorkerReplySchema.safeParse(m);
      if (!reply.success) return; // the "ready" notice
      const r: WorkerReply = reply.data;
      const p = waiting.get(r.id);
      if (!p) return;
      waiting.delete(r.id);
      outstanding[i] = (outstanding[i] ?? 1) - 1;
      p.resolve(r);
    });
    w.on("error", (e) => failAll(e));
    w.on("exit", (code) => {
      if (!closing) failAll(new Error(`text classifier worker stopped (exit code ${code})`));
    });
    workers.push(w);
    outstanding.push(0);
  }
  const post = (task: WorkerTask, transfer: ArrayBuffer[]): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      if (failed) {
        reject(failed);
        return;
      }
      let best = 0;
      for (let i = 1; i < n; i++) if ((outstanding[i] ?? 0) < (outstanding[best] ?? 0)) best = i;
      outstanding[best] = (outstanding[best] ?? 0) + 1;
      waiting.set(task.id, { resolve, reject });
      workers[best]?.postMessage(task, transfer);
    });
  const unexpected = (r: WorkerReply): Error =>
    new Error(
      r.kind === "failed" ? `text classifier worker: ${r.error}` : "text classifier worker: wrong reply",
    );
  return {
    async lines(batch) {
      const r = await post({ id: nextId++, kind: "lines", batch }, [batch.bytes.buffer as ArrayBuffer]);
      if (r.kind !== "lines") throw unexpected(r);
      // UTF-8 bytes, which the CLI writes out as they are.
      return { text: r.bytes, lines: r.lines, errors: r.errors };
    },
    async inputs(inputs) {
      const r = await post({ id: nextId++, kind: "inputs", inputs }, []);
      if (r.kind !== "inputs") throw unexpected(r);
      return r.results;
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
