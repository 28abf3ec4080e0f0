/**
 * @module open-classifiers
 * Adapts the shipped text and image classifiers to the ports the analysis uses, and records their
 * versions and thresholds for the report.
 */
import { TEXT_CATEGORIES, type ClassifyResult } from "../../contract/detection.ts";
import { CLASS_THRESHOLD, DRAWN_THRESHOLD } from "../../domain/detect/images/nsfw-mapping.ts";
import { createImageClassifier } from "../classify-images.ts";
import { createTextClassifier } from "../classify-texts.ts";
import type { ImageClassifierPort, TextClassifierPort } from "../analyse-export.ts";

export interface OpenClassifiersOptions {
  /** Folder of the text models; default the shipped models/. */
  textModels?: string;
  /** Classify pictures (default true). */
  images?: boolean;
  /** Read text inside pictures (slow; default true for the analysis). */
  ocr?: boolean;
  /** Worker threads for the image models (default: the image service's default). */
  imageThreads?: number;
  /** Worker threads for the text models (0: in-process, the default: the analysis batches itself). */
  textThreads?: number;
}

export interface OpenedClassifiers {
  text: TextClassifierPort;
  images?: ImageClassifierPort;
  close(): Promise<void>;
}

const NO_SCORES = Object.fromEntries(TEXT_CATEGORIES.map((c) => [c, 0])) as ClassifyResult["scores"];

/** Loads the models. Call close() when done (worker threads). */
export async function openClassifiers(opts: OpenClassifiersOptions = {}): Promise<OpenedClassifiers> {
  const tc = await createTextClassifier({ threads: opts.textThreads ?? 0, modelsDir: opts.textModels });
  const text: TextClassifierPort = {
    // A failure for one input becomes an unflagged result carrying the error, never a dropped message.
    classify: async (inputs) =>
      (await tc.classify(inputs)).map((r) =>
        "scores" in r ? r : { id: r.id, scores: NO_SCORES, flagged: [], reasons: [], error: r.error },
      ),
    models: [
      {
        name: `text ${tc.models.message.name}`,
        version: `${tc.models.message.version} sha256:${tc.models.message.sha256.slice(0, 16)}`,
        thresholds: tc.thresholds,
      },
      {
        name: `stance ${tc.models.stance.name}`,
        version: `${tc.models.stance.version} sha256:${tc.models.stance.sha256.slice(0, 16)}`,
        thresholds: {},
      },
    ],
  };
  if (opts.images === false) {
    return { text, close: () => tc.close() };
  }
  // Faces only on pictures classed explicit or suggestive: the analysis uses "real person likely" for
  // the victims worklist, which takes flagged pictures only (ADR 020; neutral ones say "not checked").
  const ic = await createImageClassifier({
    ocr: opts.ocr ?? true,
    threads: opts.imageThreads,
    faces: "flagged",
  });
  const v = ic.versions;
  const images: ImageClassifierPort = {
    classifyAll: (files) => ic.classifyAll(files),
    models: [
      {
        name: "image nsfwjs",
        version: v.nsfwjs,
        thresholds: { class: CLASS_THRESHOLD, drawn: DRAWN_THRESHOLD },
      },
      { name: "faces face-api", version: v.faceApi, thresholds: {} },
      { name: "ocr tesseract.js", version: v.tesseract, thresholds: {} },
    ],
  };
  return {
    text,
    images,
    close: async () => {
      await Promise.all([tc.close(), ic.close()]);
    },
  };
}
