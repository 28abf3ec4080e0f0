/**
 * @module image-worker
 * The piscina worker: holds one copy of the image models per thread (loaded on the first task) and
 * analyses one batch of files per task. Started through image-worker-entry.js, which registers the
 * TypeScript loader first.
 */
import { z } from "zod";
import { analyseImages, type AnalysedImage } from "./analyse-images.ts";
import { loadImageModels, type ImageModels } from "./image-models.ts";

export const ImageTaskSchema = z.object({
  files: z.array(z.string()),
  ocrMode: z.enum(["auto", "always"]),
  faceMode: z.enum(["all", "flagged"]),
  models: z.object({ faces: z.boolean(), faceInputSize: z.number().int(), faceScoreThreshold: z.number() }),
  decode: z.object({
    classifierSize: z.number().int(),
    faceSize: z.number().int(),
    ocrSize: z.number().int(),
    limits: z.object({ maxBytes: z.number(), maxPixels: z.number() }),
  }),
});
export type ImageTask = z.infer<typeof ImageTaskSchema>;

let models: Promise<ImageModels> | undefined;
let modelKey = "";

/** Analyses one batch; the models are loaded once per worker and reused across tasks. */
export default async function runImageTask(raw: unknown): Promise<AnalysedImage[]> {
  const task = ImageTaskSchema.parse(raw);
  const key = JSON.stringify(task.models);
  if (!models || key !== modelKey) {
    const previous = models;
    modelKey = key;
    models = loadImageModels(task.models);
    if (previous) (await previous).dispose();
  }
  return analyseImages(await models, task.files, task.decode, task.ocrMode, task.faceMode);
}
