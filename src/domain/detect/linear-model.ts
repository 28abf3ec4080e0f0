/**
 * @module linear-model
 * A linear model over hashed features: one weight per (bucket, class), stored bucket-major so one pass
 * over a message's features updates every class. Used one-vs-rest with Platt calibration for the
 * message categories and as a softmax for reply stance. The on-disk form is a JSON header plus int8
 * weights with one scale per class; decoding restores float32 weights for training, while inference
 * keeps the int8 codes with a 256-entry table per class (a quarter of the memory, and of the cache
 * misses when scoring).
 */
import { z } from "zod";
import type { FeatureBuffer, FeatureConfig } from "./features.ts";

export interface LinearModel {
  classes: readonly string[];
  cfg: FeatureConfig;
  /** weights[bucket * classes.length + c] */
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * A model as inference keeps it: the int8 codes as stored, and per class the weight each code stands
 * for. `table[c * 256 + u]` is exactly the float32 weight {@link dequantize} gives for the code whose
 * byte is `u`, so scores are the same to the last bit.
 */
export interface QuantizedLinearModel {
  classes: readonly string[];
  cfg: FeatureConfig;
  /** codes[bucket * classes.length + c], the int8 codes' bytes. */
  codes: Uint8Array;
  table: Float64Array;
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
 * Raw scores (logits) for every class into `out`, from float weights (training and evaluation;
 * inference reads the int8 codes, scoreInferenceLogits). Per class, the same additions in the same
 * order as the int8 loops, so a dequantised model scores exactly as its codes do.
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

/** {@link scoreLogits} for either form of model: the same additions in the same order. */
export function scoreInferenceLogits(m: InferenceModel, f: FeatureBuffer, out: Float64Array): void {
  if (!("codes" in m)) {
    scoreLogits(m, f, out);
    return;
  }
  const k = m.classes.length;
  const scale = f.nScaled > 0 ? 1 / Math.sqrt(f.nScaled) : 0;
  if (k === 6) {
    scoreCodes6(m, f, scale, out);
    return;
  }
  const { codes, table } = m;
  if (k === 3) {
    scoreCodes3(m, f, scale, out);
    return;
  }
  for (let c = 0; c < k; c++) out[c] = m.bias[c] ?? 0;
  for (let i = 0; i < f.n; i++) {
    const v = i < f.nScaled ? scale : 1;
    const base = (f.idx[i] as number) * k;
    for (let c = 0; c < k; c++) {
      out[c] = (out[c] as number) + v * (table[c * 256 + (codes[base + c] as number)] as number);
    }
  }
}

/** {@link scoreCodes6} for three classes (the stance model). */
function scoreCodes3(m: QuantizedLinearModel, f: FeatureBuffer, scale: number, out: Float64Array): void {
  const { codes, table, bias } = m;
  const idx = f.idx;
  const nScaled = f.nScaled;
  let z0 = bias[0] as number;
  let z1 = bias[1] as number;
  let z2 = bias[2] as number;
  for (let i = 0; i < f.n; i++) {
    const v = i < nScaled ? scale : 1;
    const b = (idx[i] as number) * 3;
    z0 += v * (table[codes[b] as number] as number);
    z1 += v * (table[256 + (codes[b + 1] as number)] as number);
    z2 += v * (table[512 + (codes[b + 2] as number)] as number);
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
}

/**
 * Six-class scores over int8 codes (the message model), the sums in locals. Kept as its own loop rather than one loop reading either form:
 * this is the hot loop of inference, and a weight read through a branch or a callback costs there.
 */
function scoreCodes6(m: QuantizedLinearModel, f: FeatureBuffer, scale: number, out: Float64Array): void {
  const { codes, table } = m;
  const idx = f.idx;
  const n = f.n;
  const nScaled = f.nScaled;
  let z0 = m.bias[0] as number;
  let z1 = m.bias[1] as number;
  let z2 = m.bias[2] as number;
  let z3 = m.bias[3] as number;
  let z4 = m.bias[4] as number;
  let z5 = m.bias[5] as number;
  for (let i = 0; i < n; i++) {
    const v = i < nScaled ? scale : 1;
    const b = (idx[i] as number) * 6;
    z0 += v * (table[codes[b] as number] as number);
    z1 += v * (table[256 + (codes[b + 1] as number)] as number);
    z2 += v * (table[512 + (codes[b + 2] as number)] as number);
    z3 += v * (table[768 + (codes[b + 3] as number)] as number);
    z4 += v * (table[1024 + (codes[b + 4] as number)] as number);
    z5 += v * (table[1280 + (codes[b + 5] as number)] as number);
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
  out[3] = z3;
  out[4] = z4;
  out[5] = z5;
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
  const k = h.classes.length;
  const table = new Float64Array(k * 256);
  for (let c = 0; c < k; c++) {
    // Math.fround: the rounding a Float32Array store applies in dequantize().
    for (let u = 0; u < 256; u++) {
      table[c * 256 + u] = Math.fround((u < 128 ? u : u - 256) * (h.scales[c] ?? 1));
    }
  }
  return { classes: h.classes, cfg: h.features, codes: bytes, table, bias: Float32Array.from(h.bias) };
}
