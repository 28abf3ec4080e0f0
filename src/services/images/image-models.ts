/**
 * @module image-models
 * Loads the image models once per thread, all on one TensorFlow.js instance with the WASM backend:
 * nsfwjs (MobileNetV2, weights bundled in the package as JS modules, no URL) and face-api's tiny
 * face detector (weights read from the package's model/ folder). Nothing is fetched over a network:
 * the .wasm binaries, the weights and the manifests all come from node_modules by file path.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";
import { load as loadNsfw } from "nsfwjs";
import { z } from "zod";
import {
  toNsfwProbabilities,
  type NsfwProbabilities,
  NSFW_CLASS_NAMES,
} from "../../domain/detect/images/nsfw-mapping.ts";
import type { RawRgb } from "./decode-image.ts";
import { fuseLayersModel } from "./fused-model.ts";
import { createTinyFaceDetector, isTinyFaceParams, type TinyFaceDetector } from "./tiny-face-detector.ts";

const require = createRequire(import.meta.url);

/**
 * nsfwjs model used. Not "MobileNetV2Mid", although its authors rate it more accurate and it is faster
 * here: on the six real group photographs shipped in face-api's demo folder it answered "Drawing"
 * (0.56-0.95) for five, which would also make realPersonLikely false. MobileNetV2 (nsfwjs's default)
 * called none of them a drawing (ADR 020).
 */
export const NSFW_MODEL = "MobileNetV2";
export const NSFW_INPUT_SIZE = 224;

/** Versions of every model and runtime, reported with results so a finding can be reproduced. */
export interface ImageModelVersions {
  nsfwjs: string;
  faceApi: string;
  tfjs: string;
  tesseract: string;
  sharp: string;
}

const PackageJsonSchema = z.object({ name: z.string().optional(), version: z.string().optional() });

/**
 * Root folder of an installed package. Found by walking up from its resolved entry point, because some
 * packages (nsfwjs) do not export their package.json.
 */
export function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && PackageJsonSchema.parse(JSON.parse(readFileSync(file, "utf8"))).name === pkg) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${pkg}`);
    dir = up;
  }
}

/** Versions of the installed model packages and runtimes. */
export function imageModelVersions(): ImageModelVersions {
  const v = (pkg: string): string =>
    PackageJsonSchema.parse(JSON.parse(readFileSync(join(packageDir(pkg), "package.json"), "utf8")))
      .version ?? "unknown";
  return {
    nsfwjs: `${v("nsfwjs")} ${NSFW_MODEL}`,
    faceApi: `${v("@vladmandic/face-api")} tinyFaceDetector`,
    tfjs: `${v("@tensorflow/tfjs")} wasm`,
    tesseract: `${v("tesseract.js")} eng ${v("@tesseract.js-data/eng")} 4.0.0_best_int`,
    sharp: v("sharp"),
  };
}

export interface ImageModels {
  /** Classifies a batch of classifier-sized RGB images in one forward pass. */
  classify(images: RawRgb[]): Promise<NsfwProbabilities[]>;
  /** Counts faces; undefined when face detection was not loaded. */
  countFaces?: (image: RawRgb) => Promise<number>;
  dispose(): void;
}

export interface ImageModelOptions {
  faces: boolean;
  /** Tiny face detector input size (a multiple of 32; smaller is faster and misses small faces). */
  faceInputSize: number;
  /** Minimum detection score of a face. */
  faceScoreThreshold: number;
}

let backendReady: Promise<void> | undefined;

/** Selects the WASM backend once per thread, pointing it at the .wasm files inside node_modules. */
function ensureWasmBackend(): Promise<void> {
  backendReady ??= (async () => {
    const dir = join(packageDir("@tensorflow/tfjs-backend-wasm"), "dist");
    setWasmPaths(`${dir}/`);
    if (!(await tf.setBackend("wasm"))) throw new Error("the tfjs WASM backend failed to initialise");
    await tf.ready();
  })();
  return backendReady;
}

/** Loads the classifier (and the face detector when asked) on this thread. */
export async function loadImageModels(opts: ImageModelOptions): Promise<ImageModels> {
  await ensureWasmBackend();
  // nsfwjs's own .d.ts files use extensionless imports that NodeNext cannot follow, so its types
  // arrive broken: take the result as unknown and check the two members used.
  const loaded: unknown = await quietly(() => loadNsfw(NSFW_MODEL));
  if (!isNsfwHandle(loaded)) throw new Error("nsfwjs returned an unexpected model object");
  const nsfw = loaded;
  if (!(nsfw.model instanceof tf.LayersModel)) throw new Error("nsfwjs model is not a tfjs LayersModel");
  // The same weights run as fused operations: batch norms folded into the convolutions (ADR 020).
  // The fused model holds its own copies, so nsfwjs's model is released at once (not kept twice).
  const fused = fuseLayersModel(nsfw.model);
  nsfw.dispose();
  let faceDetector: TinyFaceDetector | undefined;
  const models: ImageModels = {
    async classify(images) {
      if (images.length === 0) return [];
      const logits = fused.predict(toUnitBatch(images));
      try {
        const values = await logits.data();
        const k = NSFW_CLASS_NAMES.length;
        return images.map((_, i) =>
          toNsfwProbabilities(
            NSFW_CLASS_NAMES.map((className, c) => ({ className, probability: values[i * k + c] ?? 0 })),
          ),
        );
      } finally {
        logits.dispose();
      }
    },
    dispose: () => {
      faceDetector?.dispose();
      fused.dispose();
    },
  };
  if (opts.faces) {
    const modelDir = join(packageDir("@vladmandic/face-api"), "model");
    await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
    const params: unknown = faceapi.nets.tinyFaceDetector.params;
    if (!isTinyFaceParams(params)) throw new Error("face-api's tiny face detector has an unexpected layout");
    // face-api's weights, run as fused operations (same counts, less than half the CPU; ADR 020).
    const detector = createTinyFaceDetector(params, opts.faceInputSize, opts.faceScoreThreshold);
    faceapi.nets.tinyFaceDetector.dispose();
    models.countFaces = (im) => detector.countFaces(im);
    faceDetector = detector;
  }
  return models;
}

/**
 * One float batch tensor of same-sized RGB images scaled to 0..1, as nsfwjs feeds its model. Built in
 * JavaScript so the bytes cross into WASM once, as floats, without an int32 copy and two tensor ops.
 */
function toUnitBatch(images: RawRgb[]): tf.Tensor4D {
  const first = images[0];
  if (!first) throw new Error("empty batch");
  const { width, height } = first;
  const per = width * height * 3;
  const data = new Float32Array(per * images.length);
  images.forEach((im, i) => {
    if (im.width !== width || im.height !== height || im.data.length !== per) {
      throw new Error("classifier inputs differ in size");
    }
    const off = i * per;
    for (let j = 0; j < per; j++) data[off + j] = (im.data[j] ?? 0) / 255;
  });
  return tf.tensor4d(data, [images.length, height, width, 3]);
}

interface NsfwHandle {
  model: unknown;
  dispose(): void;
}

function isNsfwHandle(x: unknown): x is NsfwHandle {
  return (
    typeof x === "object" &&
    x !== null &&
    "dispose" in x &&
    typeof x.dispose === "function" &&
    "model" in x &&
    typeof x.model === "object" &&
    x.model !== null
  );
}

/** nsfwjs prints an advert for its hosted models through console.info on every load; keep stdout clean. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = () => {};
  try {
    return await fn();
  } finally {
    console.info = info;
  }
}
