/**
 * @module load-text-models
 * Reads the shipped text models (models/<name>.json header + models/<name>.bin int8 weights), checks
 * the weights against the header's sha256. Inference keeps the int8 weights as they are stored
 * (loadInferenceModels); training and its tools get float weights (loadTextModels).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "../contract/errors.ts";
import {
  decodeQuantized,
  dequantize,
  ModelHeaderSchema,
  type LinearModel,
  type ModelHeader,
} from "../domain/detect/linear-model.ts";
import type { LoadedTextModels } from "../domain/detect/text-classifier.ts";

/** The repository's models/ folder. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL("../../models/", import.meta.url));
export const MESSAGE_MODEL = "text-messages";
export const STANCE_MODEL = "text-stance";

/** Reads one model's header and weight bytes from `dir`, verifying the bytes against the header's hash. */
/**
 * Both loads at once, but a failure is reported in a fixed order (the message model's first):
 * Promise.all rejects with whichever fails first in time, so a missing models folder would name
 * either model from one run to the next.
 */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === "rejected") throw ra.reason;
  if (rb.status === "rejected") throw rb.reason;
  return [ra.value, rb.value];
}

async function readModelFiles(dir: string, name: string): Promise<{ header: ModelHeader; bytes: Buffer }> {
  let headerText: string;
  let bytes: Buffer;
  try {
    headerText = await readFile(join(dir, `${name}.json`), "utf8");
    bytes = await readFile(join(dir, `${name}.bin`));
  } catch (cause) {
    throw new AppError("CONFIG_INVALID", {
      userMessage: `model ${name} not found in ${dir} (run npm run train)`,
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(headerText);
  } catch (cause) {
    throw new AppError("CONFIG_INVALID", { userMessage: `model ${name}: header is not JSON`, cause });
  }
  const parsed = ModelHeaderSchema.safeParse(json);
  if (!parsed.success) throw new AppError("CONFIG_INVALID", { userMessage: `model ${name}: invalid header` });
  const header = parsed.data;
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== header.sha256) {
    throw new AppError("INTEGRITY_FAILURE", {
      userMessage: `model ${name}: weights do not match header hash`,
    });
  }
  return { header, bytes };
}

/** Loads one model by name from `dir`, verifying its weights' hash. */
export async function loadLinearModel(
  dir: string,
  name: string,
): Promise<{ model: LinearModel; header: ModelHeader }> {
  const { header, bytes } = await readModelFiles(dir, name);
  return { model: dequantize(header, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)), header };
}

/** The verified headers only: for a thread that hands the models to workers and never scores itself. */
export async function loadTextModelHeaders(
  dir = DEFAULT_MODELS_DIR,
): Promise<{ messageHeader: ModelHeader; stanceHeader: ModelHeader }> {
  const [m, s] = await both(readModelFiles(dir, MESSAGE_MODEL), readModelFiles(dir, STANCE_MODEL));
  return { messageHeader: m.header, stanceHeader: s.header };
}

/** Loads the message and stance models from `dir` (default: the repository's models/), as float weights. */
export async function loadTextModels(dir = DEFAULT_MODELS_DIR): Promise<{
  message: LinearModel;
  messageHeader: ModelHeader;
  stance: LinearModel;
  stanceHeader: ModelHeader;
}> {
  const [m, s] = await both(loadLinearModel(dir, MESSAGE_MODEL), loadLinearModel(dir, STANCE_MODEL));
  return { message: m.model, messageHeader: m.header, stance: s.model, stanceHeader: s.header };
}

/**
 * Loads the message and stance models from `dir` (default: the repository's models/) for inference:
 * int8 weights (their logits are the float form's to within float32 rounding: linear-model.ts).
 */
export async function loadInferenceModels(dir = DEFAULT_MODELS_DIR): Promise<LoadedTextModels> {
  const [m, s] = await both(readModelFiles(dir, MESSAGE_MODEL), readModelFiles(dir, STANCE_MODEL));
  const codes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
  return {
    message: decodeQuantized(m.header, codes(m.bytes)),
    messageHeader: m.header,
    stance: decodeQuantized(s.header, codes(s.bytes)),
    stanceHeader: s.header,
  };
}
