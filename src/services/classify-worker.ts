/**
 * @module classify-worker
 * A piscina worker: loads the text models once per thread, then classifies batches of input lines.
 */
import { workerData } from "node:worker_threads";
import { z } from "zod";
import { createTextClassifierCore } from "../domain/detect/text-classifier.ts";
import { classifyLineBatch, type BatchOutput, type LineBatch } from "./classify-lines.ts";
import { DEFAULT_MODELS_DIR, loadTextModels } from "./load-text-models.ts";
import type { ClassifyInput } from "../contract/detection.ts";

const WorkerDataSchema = z.object({ modelsDir: z.string().optional() });
const data = WorkerDataSchema.parse(workerData);
const core = createTextClassifierCore(await loadTextModels(data.modelsDir ?? DEFAULT_MODELS_DIR));

/** A task is either a batch of raw lines (the CLI) or already-parsed inputs (the library API). */
export type WorkerTask = { kind: "lines"; batch: LineBatch } | { kind: "inputs"; inputs: ClassifyInput[] };

/** Runs one task on this thread. */
export default function run(task: WorkerTask): BatchOutput | ReturnType<typeof core.classify>[] {
  if (task.kind === "lines") return classifyLineBatch(core, task.batch);
  return task.inputs.map((i) => core.classify(i));
}
