/**
 * @module classify-worker
 * A worker thread of the text classifier: loads the text models once, then classifies the batches
 * the calling thread posts, one at a time, answering each with its id. Output text goes back as UTF-8
 * bytes that are moved, not copied, and that the calling thread writes out as they are.
 */
import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import type { ClassifyInput } from "../contract/detection.ts";
import { createTextClassifierCore } from "../domain/detect/text-classifier.ts";
import { classifyLineBatch, type LineBatch } from "./classify-lines.ts";
import { DEFAULT_MODELS_DIR, loadInferenceModels } from "./load-text-models.ts";

/** A task is either a batch of raw lines (the CLI) or already-parsed inputs (the library API). */
export type WorkerTask =
  { id: number; kind: "lines"; batch: LineBatch } | { id: number; kind: "inputs"; inputs: ClassifyInput[] };

/** The answer to a task: output bytes for lines, result objects for inputs, or what went wrong. */
export type WorkerReply =
  | { id: number; kind: "lines"; bytes: Uint8Array; lines: number; errors: number }
  | { id: number; kind: "inputs"; results: unknown[] }
  | { id: number; kind: "failed"; error: string };

const WorkerDataSchema = z.object({ modelsDir: z.string().optional() });
const data = WorkerDataSchema.parse(workerData);
const core = createTextClassifierCore(await loadInferenceModels(data.modelsDir ?? DEFAULT_MODELS_DIR));
const port = parentPort;
if (!port) throw new Error("classify-worker runs only as a worker thread");

port.on("message", (task: WorkerTask) => {
  try {
    if (task.kind === "lines") {
      // The output buffer is the batch's own (never Node's shared pool), so it can be moved.
      const out = classifyLineBatch(core, task.batch);
      const bytes = out.text;
      const reply: WorkerReply = { id: task.id, kind: "lines", bytes, lines: out.lines, errors: out.errors };
      port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
    } else {
      const reply: WorkerReply = {
        id: task.id,
        kind: "inputs",
        results: task.inputs.map((i) => core.classify(i)),
      };
      port.postMessage(reply);
    }
  } catch (e) {
    const reply: WorkerReply = {
      id: task.id,
      kind: "failed",
      error: e instanceof Error ? e.message : String(e),
    };
    port.postMessage(reply);
  }
});
port.postMessage({ ready: true });
