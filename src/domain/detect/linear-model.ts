/**
 * @module linear-model
 * A linear model over hashed features: one weight per (bucket, class), stored bucket-major so one pass
 * over a message's features updates every class. Used one-vs-rest with Platt calibration for the
 * message categories and as a softmax for reply stance. The on-disk form is a JSON header plus int8
 * weights with one scale per class; decoding restores float32 weights for training, while inference
 * keeps the int8 codes (a quarter of the memory, and of the cache misses when scoring) and sums them
 * as integers: a logit is `bias + scale * (sum of the n-gram codes / sqrt(n) + sum of the flag codes)`,
 * exact whatever order the codes are added in, so a token's codes can be summed once and reused
 * (sumTextCodes in features.ts). Float32 weights (training) give the same logits to within their
 * rounding (about 1e-7 of a weight).
 */
import { z } from "zod";
import { add6, type FeatureBuffer, type FeatureConfig } from "./features.ts";

export interface LinearModel {
  classes: readonly string[];
  cfg: FeatureConfig;
  /** weights[bucket * classes.length + c] */
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * A model as inference keeps it: the int8 codes as stored (a view of the file's bytes), and per class
 * their scale; a feature's weight for class `c` is `q[bucket * k + c] * scales[c]`.
 */
export interface QuantizedLinearModel {
  classes: readonly string[];
  cfg: FeatureConfig;
  /** q[bucket * classes.length + c], the signed int8 codes. */
  q: Int8Array;
  /** Per class, the weight of code 1 (the header's scale, a float32 value). */
  scales: Float64Array;
  bias: Float32Array;
}

/** What inference scores with: float weights (training, tests) or int8 codes (the shipped models). */
export type InferenceModel = LinearModel | QuantizedLinearModel;

export const ModelHeaderSchema = z.object({
  name: z.string(),
  version: z.string(),
  kind: z.enum(["ovr-logistic", "softmax"]),
  classes: z.array(z.string()),
  features: z.object({
    bits: z.number().int(),
    charMin: z.number().int(),
    charMax: z.number().int(),
    maxTokens: z.number().int(),
  }),
  bias: z.array(z.number()),
  scales: z.array(z.number()),
  /** Platt parameters per class (ovr only): p = 1 / (1 + exp(-(a * z + b))). */
  platt: z.array(z.object({ a: z.number(), b: z.number() })).optional(),
  /** Decision thresholds on the calibrated probability (ovr only). */
  thresholds: z.array(z.number()).optional(),
  sha256: z.string(),
  trainedOn: z.array(z.string()),
});
export type ModelHeader = z.infer<typeof ModelHeaderSchema>;

/**
 * Raw scores (logits) for every class into `out`, from float weights (training; inference and
 * evaluation read the int8 codes, scoreInferenceLogits, which a dequantised model matches to within
 * float32 rounding).
 */
export function scoreLogits(m: LinearModel, f: FeatureBuffer, out: Float64Array): void {
  const k = m.classes.length;
  const scale = f.nScaled > 0 ? 1 / Math.sqrt(f.nScaled) : 0;
  for (let c = 0; c < k; c++) out[c] = m.bias[c] ?? 0;
  const w = m.weights;
  for (let i = 0; i < f.n; i++) {
    const v = i < f.nScaled ? scale : 1;
    const base = (f.idx[i] ?? 0) * k;
    for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + v * (w[base + c] ?? 0);
  }
}

/**
 * Raw scores for either form of model: {@link scoreLogits} for float weights; for int8 codes, the codes
 * of the scaled features and of the flags summed as integers per class, then
 * {@link logitsFromCodeSums}.
 */
export function scoreInferenceLogits(m: InferenceModel, f: FeatureBuffer, out: Float64Array): void {
  if (!("q" in m)) {
    scoreLogits(m, f, out);
    return;
  }
  const k = m.classes.length;
  if (codeSums.length < 2 * k) codeSums = new Int32Array(2 * k);
  if (k === 6) {
    sumCodes6(m.q, f, codeSums);
  } else {
    sumCodes(m.q, k, f, codeSums);
  }
  logitsFromCodeSums(m, codeSums, f.nScaled, out);
}

/** Per class: [0, k) the sum of the scaled features' codes, [k, 2k) the flags' (grown as needed; one per thread). */
let codeSums = new Int32Array(12);

/**
 * Logits from integer code sums: `sums[c]` over the `nScaled` L2-normalised n-gram features and
 * `sums[k + c]` over the flags (valued 1). The one place a quantised model's logit is computed, so
 * every path that sums the same codes gets the same bits.
 */
export function logitsFromCodeSums(
  m: QuantizedLinearModel,
  sums: Int32Array,
  nScaled: number,
  out: Float64Array,
): void {
  const k = m.classes.length;
  const inv = nScaled > 0 ? 1 / Math.sqrt(nScaled) : 0;
  for (let c = 0; c < k; c++) {
    out[c] =
      (m.bias[c] as number) + (m.scales[c] as number) * ((sums[c] as number) * inv + (sums[k + c] as number));
  }
}

/** The code sums of any number of classes (the stance model has three). */
function sumCodes(q: Int8Array, k: number, f: FeatureBuffer, sums: Int32Array): void {
  sums.fill(0, 0, 2 * k);
  const idx = f.idx;
  for (let i = 0; i < f.n; i++) {
    const b = (idx[i] as number) * k;
    const o = i < f.nScaled ? 0 : k;
    for (let c = 0; c < k; c++) sums[o + c] = (sums[o + c] as number) + (q[b + c] as number);
  }
}

/** {@link sumCodes} for six classes (the message model, when a message takes the general path). */
function sumCodes6(q: Int8Array, f: FeatureBuffer, sums: Int32Array): void {
  const idx = f.idx;
  sums.fill(0, 0, 12);
  for (let i = 0; i < f.nScaled; i++) add6(q, (idx[i] as number) * 6, sums, 0);
  for (let i = f.nScaled; i < f.n; i++) add6(q, (idx[i] as number) * 6, sums, 6);
}

/** The logistic function. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Softmax of the first `k` entries of `z` in place. */
export function softmaxInPlace(z: Float64Array, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, z[c] ?? 0);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((z[c] ?? 0) - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) z[c] = (z[c] ?? 0) / sum;
}

/**
 * Quantises weights to int8 with one scale per class (max |w| / 127). Returns the bytes and scales.
 * Deterministic: the same weights always give the same bytes.
 */
export function quantize(m: LinearModel): { bytes: Uint8Array; scales: number[] } {
  const k = m.classes.length;
  const scales: number[] = [];
  for (let c = 0; c < k; c++) {
    let max = 0;
    for (let i = c; i < m.weights.length; i += k) max = Math.max(max, Math.abs(m.weights[i] ?? 0));
    scales.push(max > 0 ? Math.fround(max / 127) : 1);
  }
  const q = new Int8Array(m.weights.length);
  for (let i = 0; i < m.weights.length; i++) {
    const s = scales[i % k] ?? 1;
    q[i] = Math.max(-127, Math.min(127, Math.round((m.weights[i] ?? 0) / s)));
  }
  return { bytes: new Uint8Array(q.buffer), scales };
}

function checkSize(h: ModelHeader, bytes: Uint8Array): number {
  const size = 2 ** h.features.bits * h.classes.length;
  if (bytes.length !== size) {
    throw new Error(`model ${h.name}: expected ${size} weight bytes, got ${bytes.length}`);
  }
  return size;
}

/** Rebuilds a model from its header and int8 weight bytes. */
export function dequantize(h: ModelHeader, bytes: Uint8Array): LinearModel {
  const k = h.classes.length;
  const size = checkSize(h, bytes);
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const weights = new Float32Array(size);
  for (let i = 0; i < size; i++) weights[i] = (q[i] ?? 0) * (h.scales[i % k] ?? 1);
  return { classes: h.classes, cfg: h.features, weights, bias: Float32Array.from(h.bias) };
}

/** The int8 form of a model for inference, from its header and weight bytes (kept, not copied). */
export function decodeQuantized(h: ModelHeader, bytes: Uint8Array): QuantizedLinearModel {
  checkSize(h, bytes);
  return {
    classes: h.classes,
    cfg: h.features,
    q: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    scales: Float64Array.from(h.classes, (_, c) => h.scales[c] ?? 1),
    bias: Float32Array.from(h.bias),
  };
}
