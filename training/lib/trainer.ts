/**
 * @module trainer
 * Deterministic training of the hashed linear models: AdaGrad over a seeded shuffle, float32 state,
 * single-threaded, so the same inputs give the same weights bit for bit. One-vs-rest logistic
 * regression with per-class "unknown" labels for the message categories; softmax regression for stance.
 */
import type { FeatureBuffer } from "../../src/domain/detect/features.ts";
import { f1At } from "./metrics.ts";

/** One featurised example: its buckets and how many of them are scaled n-grams. */
export interface SparseDoc {
  idx: Int32Array;
  nWord: number;
  nScaled: number;
}

/** Copies the live part of a feature buffer into a compact document. */
export function toDoc(buf: FeatureBuffer): SparseDoc {
  return { idx: buf.idx.slice(0, buf.n), nWord: buf.nWord, nScaled: buf.nScaled };
}

export interface TrainOptions {
  epochs: number;
  lr: number;
  l2: number;
  seed: number;
}

/** mulberry32: a small seeded PRNG, so shuffles are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

export interface TrainedWeights {
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * Fills `grad` for document `d` from its logits `z`; returns false when the document has no gradient
 * (every label unknown), so the update is skipped.
 */
type GradientOf = (d: number, z: Float64Array, grad: Float64Array) => boolean;

/**
 * The shared AdaGrad loop over hashed sparse documents: seeded shuffles per epoch, logits, a gradient
 * from the model-specific `gradientOf`, one update. Operation order is fixed, so training is
 * deterministic to the byte.
 */
function trainLinear(
  docs: SparseDoc[],
  k: number,
  bits: number,
  o: TrainOptions,
  gradientOf: GradientOf,
): TrainedWeights {
  const size = 2 ** bits * k;
  const w = new Float32Array(size);
  const g2 = new Float32Array(size);
  const bias = new Float32Array(k);
  const bg2 = new Float32Array(k);
  const z = new Float64Array(k);
  const grad = new Float64Array(k);
  const rand = prng(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = permutation(docs.length, rand);
    for (const d of order) {
      const doc = docs[d];
      if (!doc) continue;
      const scale = doc.nScaled > 0 ? 1 / Math.sqrt(doc.nScaled) : 0;
      for (let c = 0; c < k; c++) z[c] = bias[c] ?? 0;
      for (let i = 0; i < doc.idx.length; i++) {
        const v = i < doc.nScaled ? scale : 1;
        const base = (doc.idx[i] ?? 0) * k;
        for (let c = 0; c < k; c++) z[c] = (z[c] ?? 0) + v * (w[base + c] ?? 0);
      }
      if (!gradientOf(d, z, grad)) continue;
      adagradStep(doc, scale, k, grad, w, g2, bias, bg2, o);
    }
  }
  return { weights: w, bias };
}

/**
 * One-vs-rest logistic regression. `labels[d * k + c]` is 1, 0 or -1 (unknown: no gradient for that
 * class); `weights[d * k + c]` the example weight for that class.
 */
export function trainOvr(
  docs: SparseDoc[],
  labels: Int8Array,
  sampleWeights: Float32Array,
  k: number,
  bits: number,
  o: TrainOptions,
): TrainedWeights {
  return trainLinear(docs, k, bits, o, (d, z, grad) => {
    let any = false;
    for (let c = 0; c < k; c++) {
      const y = labels[d * k + c] ?? -1;
      if (y < 0) {
        grad[c] = 0;
        continue;
      }
      const p = 1 / (1 + Math.exp(-(z[c] ?? 0)));
      grad[c] = (p - y) * (sampleWeights[d * k + c] ?? 1);
      any = true;
    }
    return any;
  });
}

function adagradStep(
  doc: SparseDoc,
  scale: number,
  k: number,
  grad: Float64Array,
  w: Float32Array,
  g2: Float32Array,
  bias: Float32Array,
  bg2: Float32Array,
  o: TrainOptions,
): void {
  for (let c = 0; c < k; c++) {
    const g = grad[c] ?? 0;
    if (g === 0) continue;
    bg2[c] = (bg2[c] ?? 0) + g * g;
    bias[c] = (bias[c] ?? 0) - (o.lr * g) / Math.sqrt((bg2[c] ?? 0) + 1e-8);
  }
  for (let i = 0; i < doc.idx.length; i++) {
    const v = i < doc.nScaled ? scale : 1;
    const base = (doc.idx[i] ?? 0) * k;
    for (let c = 0; c < k; c++) {
      const gc = grad[c] ?? 0;
      if (gc === 0) continue;
      const j = base + c;
      const wj = w[j] ?? 0;
      const g = gc * v + o.l2 * wj;
      g2[j] = (g2[j] ?? 0) + g * g;
      w[j] = wj - (o.lr * g) / Math.sqrt((g2[j] ?? 0) + 1e-8);
    }
  }
}

/** Softmax regression: `labels[d]` is the class index, `sampleWeights[d]` the example weight. */
export function trainSoftmax(
  docs: SparseDoc[],
  labels: Int32Array,
  sampleWeights: Float32Array,
  k: number,
  bits: number,
  o: TrainOptions,
): TrainedWeights {
  return trainLinear(docs, k, bits, o, (d, z, grad) => {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[c] ?? 0);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((z[c] ?? 0) - max);
    const sw = sampleWeights[d] ?? 1;
    for (let c = 0; c < k; c++) {
      grad[c] = (Math.exp((z[c] ?? 0) - max) / sum - (labels[d] === c ? 1 : 0)) * sw;
    }
    return true;
  });
}

export interface FullBatchOptions {
  /** Weight of the data term: the objective is C * sum(w_i * logloss_i) + |weights|^2 / 2. */
  c: number;
  iters: number;
}

/**
 * A binary L2-regularised logistic regression trained by `iters` iterations of full-batch Nesterov
 * gradient descent from zero (bias not regularised). It is not run to convergence: the fixed step
 * 1 / (C * sum(w_i * |x_i|^2) / 4 + 1) is the safe step for the whole objective and is small, so 300
 * iterations stop well short of the minimiser; the result behaves like an early-stopped fit, and C
 * changes it little (EDOS dev 0.743 / 0.743 / 0.741 for C = 1 / 4 / 16, models/text-messages.md).
 * Its weights stay small and smooth, unlike AdaGrad's noisy pass, which over-learns rare n-grams.
 * Slower (every iteration reads every document), so used for a single head on one source. Float64
 * state, a fixed step and a fixed operation order: deterministic. `labels` are 0 or 1.
 */
export function trainLogisticFullBatch(
  docs: SparseDoc[],
  labels: Int8Array,
  sampleWeights: Float32Array,
  bits: number,
  o: FullBatchOptions,
): TrainedWeights {
  // The one-head case of trainOvrFullBatch (same steps, same bits: training/lib/trainer.test.ts).
  return trainOvrFullBatch(toCsr(docs), labels, sampleWeights, 1, bits, o);
}

const RIDGE = 1;

/**
 * Platt scaling: fits a, b minimising log loss of sigmoid(a z + b) against 0/1 labels, with Platt's
 * smoothed targets, by Newton's method (deterministic, converges in a few steps).
 */
export function fitPlatt(z: number[], y: number[]): { a: number; b: number } {
  const nPos = y.filter((v) => v === 1).length;
  const nNeg = y.length - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    // A weak ridge towards (a, b) = (1, 0) keeps the fit finite when a class is separable or rare.
    let ga0 = RIDGE * (a - 1);
    let gb0 = RIDGE * b;
    let haa = RIDGE;
    let hab = 0;
    let hbb = RIDGE;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] ?? 0;
      const t = y[i] === 1 ? hi : lo;
      const p = 1 / (1 + Math.exp(-(a * zi + b)));
      const d = p - t;
      const h = p * (1 - p);
      ga0 += d * zi;
      gb0 += d;
      haa += h * zi * zi;
      hab += h * zi;
      hbb += h;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga0 - hab * gb0) / det;
    const db = (haa * gb0 - hab * ga0) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** The threshold in [0.05, 0.95] (step 0.01) that maximises F1 of the positive class. */
export function bestF1Threshold(p: number[], y: number[]): number {
  let best = 0.5;
  let bestF1 = -1;
  for (let t = 5; t <= 95; t++) {
    const th = t / 100;
    const f1 = f1At(p, y, th).pos;
    if (f1 > bestF1) {
      bestF1 = f1;
      best = th;
    }
  }
  return best;
}

/** Macro-F1 of argmax(z + off) against class indices `y`. */
function macroF1Offsets(z: number[][], y: number[], off: number[]): number {
  const k = off.length;
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  z.forEach((zi, i) => {
    let b = 0;
    for (let c = 1; c < k; c++) if ((zi[c] ?? 0) + (off[c] ?? 0) > (zi[b] ?? 0) + (off[b] ?? 0)) b = c;
    const g = y[i] ?? 0;
    if (b === g) tp[b] = (tp[b] ?? 0) + 1;
    else {
      fp[b] = (fp[b] ?? 0) + 1;
      fn[g] = (fn[g] ?? 0) + 1;
    }
  });
  let s = 0;
  for (let c = 0; c < k; c++) {
    const t = tp[c] ?? 0;
    s += t === 0 ? 0 : (2 * t) / (2 * t + (fp[c] ?? 0) + (fn[c] ?? 0));
  }
  return s / k;
}

/**
 * Per-class offsets added to a softmax model's logits (so, folded into its bias) that maximise
 * macro-F1 of the argmax on held-out examples: the last class stays at 0, the others are searched on
 * a grid in [-3, 3] (step 0.05), one class at a time, three rounds. Macro-F1 rewards the rare classes
 * (challenge, endorse) that a plain argmax under-predicts.
 */
export function fitStanceOffsets(z: number[][], y: number[]): number[] {
  const k = z[0]?.length ?? 0;
  const off = new Array<number>(k).fill(0);
  let best = macroF1Offsets(z, y, off);
  for (let round = 0; round < 3; round++) {
    for (let c = 0; c < k - 1; c++) {
      for (let step = -60; step <= 60; step++) {
        const trial = [...off];
        trial[c] = step / 20;
        const f = macroF1Offsets(z, y, trial);
        if (f > best + 1e-12) {
          best = f;
          off[c] = step / 20;
        }
      }
    }
  }
  return off;
}

/** Documents as one compressed sparse row matrix: the values are the feature values, scaling applied. */
export interface CsrMatrix {
  rows: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** Packs documents into typed arrays once, so every full-batch pass reads flat memory. */
export function toCsr(docs: SparseDoc[]): CsrMatrix {
  let nnz = 0;
  for (const doc of docs) nnz += doc.idx.length;
  const rowPtr = new Int32Array(docs.length + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let p = 0;
  docs.forEach((doc, d) => {
    const scale = doc.nScaled > 0 ? 1 / Math.sqrt(doc.nScaled) : 0;
    for (let i = 0; i < doc.idx.length; i++, p++) {
      col[p] = doc.idx[i] ?? 0;
      val[p] = i < doc.nScaled ? scale : 1;
    }
    rowPtr[d + 1] = p;
  });
  return { rows: docs.length, rowPtr, col, val };
}

/**
 * One-vs-rest L2 logistic regression, every head trained as `trainLogisticFullBatch` describes:
 * `iters` full-batch Nesterov steps from zero, each head with its own safe step
 * 1 / (C * sum(w_dc * |x_d|^2) / 4 + 1). `labels[d * k + c]` is 1, 0 or -1 (unknown: the example is
 * left out of head c); `sampleWeights[d * k + c]` the example weight for head c. The heads do not
 * interact (each reads only its own column), so training a subset of heads gives the same bits for
 * them as training all (`heads`). Float64 state, fixed operation order: deterministic.
 */
export function trainOvrFullBatch(
  x: CsrMatrix,
  labels: Int8Array,
  sampleWeights: Float32Array,
  k: number,
  bits: number,
  o: FullBatchOptions,
  heads: readonly number[] = Array.from({ length: k }, (_, c) => c),
): TrainedWeights {
  const h = heads.length;
  const dim = 2 ** bits;
  const { rowPtr, val } = x;
  // Per-head copies of the labels and weights in the heads' order; unknown labels weigh 0.
  const y = new Float64Array(x.rows * h);
  const sw = new Float64Array(x.rows * h);
  const lip = new Float64Array(h);
  for (let d = 0; d < x.rows; d++) {
    let n2 = 1;
    for (let p = rowPtr[d] ?? 0; p < (rowPtr[d + 1] ?? 0); p++) n2 += (val[p] ?? 0) * (val[p] ?? 0);
    for (let a = 0; a < h; a++) {
      const c = heads[a] ?? 0;
      const lab = labels[d * k + c] ?? -1;
      const wt = lab < 0 ? 0 : (sampleWeights[d * k + c] ?? 1);
      y[d * h + a] = lab > 0 ? 1 : 0;
      sw[d * h + a] = o.c * wt;
      lip[a] = (lip[a] ?? 0) + wt * n2;
    }
  }
  const step = Float64Array.from(lip, (l) => 1 / ((o.c * l) / 4 + 1));
  let w = new Float64Array(dim * h);
  let prev = new Float64Array(dim * h);
  const look = new Float64Array(dim * h);
  const g = new Float64Array(dim * h);
  let b = new Float64Array(h);
  let prevB = new Float64Array(h);
  const lookB = new Float64Array(h);
  const gb = new Float64Array(h);
  const state: PassState = { look, g, lookB, gb, sw, y };
  for (let it = 0; it < o.iters; it++) {
    const mom = it / (it + 3);
    for (let j = 0; j < dim * h; j++) {
      const wj = w[j] ?? 0;
      const v = wj + mom * (wj - (prev[j] ?? 0));
      look[j] = v;
      g[j] = v;
    }
    for (let a = 0; a < h; a++) lookB[a] = (b[a] ?? 0) + mom * ((b[a] ?? 0) - (prevB[a] ?? 0));
    if (h === 6) gradientPass6(x, state);
    else gradientPass(x, h, state);
    const next = prev;
    prev = w;
    w = next;
    for (let j = 0; j < dim * h; j++) w[j] = (look[j] ?? 0) - (step[j % h] ?? 0) * (g[j] ?? 0);
    const nextB = prevB;
    prevB = b;
    b = nextB;
    for (let a = 0; a < h; a++) b[a] = (lookB[a] ?? 0) - (step[a] ?? 0) * (gb[a] ?? 0);
  }
  return { weights: Float32Array.from(w), bias: Float32Array.from(b) };
}

/** What a gradient pass reads and writes; arrays interleave the heads (index * h + head). */
interface PassState {
  /** The look-ahead weights and biases the gradient is taken at. */
  look: Float64Array;
  lookB: Float64Array;
  /** The gradient, holding the L2 part on entry; the bias gradients. */
  g: Float64Array;
  gb: Float64Array;
  /** C times the example's weight (0: unknown label), and its 0/1 label. */
  sw: Float64Array;
  y: Float64Array;
}

/**
 * One pass over the documents for `h` interleaved heads: adds each document's log-loss gradient
 * (weighted, times C: `sw`) at the look-ahead point into `g` (which holds the L2 part already) and
 * the bias gradients into `gb`.
 */
function gradientPass(x: CsrMatrix, h: number, state: PassState): void {
  const { rowPtr, col, val } = x;
  const { look, g, lookB, gb, sw, y } = state;
  const z = new Float64Array(h);
  gb.fill(0);
  for (let d = 0; d < x.rows; d++) {
    const start = rowPtr[d] ?? 0;
    const end = rowPtr[d + 1] ?? 0;
    for (let a = 0; a < h; a++) z[a] = lookB[a] ?? 0;
    for (let p = start; p < end; p++) {
      const base = (col[p] ?? 0) * h;
      const v = val[p] ?? 0;
      for (let a = 0; a < h; a++) z[a] = (z[a] ?? 0) + v * (look[base + a] ?? 0);
    }
    for (let a = 0; a < h; a++) {
      const s = sw[d * h + a] ?? 0;
      const e = s === 0 ? 0 : s * (1 / (1 + Math.exp(-(z[a] ?? 0))) - (y[d * h + a] ?? 0));
      z[a] = e;
      gb[a] = (gb[a] ?? 0) + e;
    }
    for (let p = start; p < end; p++) {
      const base = (col[p] ?? 0) * h;
      const v = val[p] ?? 0;
      for (let a = 0; a < h; a++) g[base + a] = (g[base + a] ?? 0) + (z[a] ?? 0) * v;
    }
  }
}

/**
 * `gradientPass` unrolled for the message model's six heads: the same arithmetic in the same order
 * (so the same bits), about twice as fast, because the heads' running sums stay in registers.
 */
function gradientPass6(x: CsrMatrix, state: PassState): void {
  const { rowPtr, col, val } = x;
  const { look, g, lookB, gb, sw, y } = state;
  const err = (s: number, z: number, t: number): number => (s === 0 ? 0 : s * (1 / (1 + Math.exp(-z)) - t));
  let gb0 = 0;
  let gb1 = 0;
  let gb2 = 0;
  let gb3 = 0;
  let gb4 = 0;
  let gb5 = 0;
  for (let d = 0; d < x.rows; d++) {
    const start = rowPtr[d] ?? 0;
    const end = rowPtr[d + 1] ?? 0;
    let z0 = lookB[0] ?? 0;
    let z1 = lookB[1] ?? 0;
    let z2 = lookB[2] ?? 0;
    let z3 = lookB[3] ?? 0;
    let z4 = lookB[4] ?? 0;
    let z5 = lookB[5] ?? 0;
    for (let p = start; p < end; p++) {
      const base = (col[p] ?? 0) * 6;
      const v = val[p] ?? 0;
      z0 += v * (look[base] ?? 0);
      z1 += v * (look[base + 1] ?? 0);
      z2 += v * (look[base + 2] ?? 0);
      z3 += v * (look[base + 3] ?? 0);
      z4 += v * (look[base + 4] ?? 0);
      z5 += v * (look[base + 5] ?? 0);
    }
    const o = d * 6;
    const e0 = err(sw[o] ?? 0, z0, y[o] ?? 0);
    const e1 = err(sw[o + 1] ?? 0, z1, y[o + 1] ?? 0);
    const e2 = err(sw[o + 2] ?? 0, z2, y[o + 2] ?? 0);
    const e3 = err(sw[o + 3] ?? 0, z3, y[o + 3] ?? 0);
    const e4 = err(sw[o + 4] ?? 0, z4, y[o + 4] ?? 0);
    const e5 = err(sw[o + 5] ?? 0, z5, y[o + 5] ?? 0);
    gb0 += e0;
    gb1 += e1;
    gb2 += e2;
    gb3 += e3;
    gb4 += e4;
    gb5 += e5;
    for (let p = start; p < end; p++) {
      const base = (col[p] ?? 0) * 6;
      const v = val[p] ?? 0;
      g[base] = (g[base] ?? 0) + e0 * v;
      g[base + 1] = (g[base + 1] ?? 0) + e1 * v;
      g[base + 2] = (g[base + 2] ?? 0) + e2 * v;
      g[base + 3] = (g[base + 3] ?? 0) + e3 * v;
      g[base + 4] = (g[base + 4] ?? 0) + e4 * v;
      g[base + 5] = (g[base + 5] ?? 0) + e5 * v;
    }
  }
  gb.set([gb0, gb1, gb2, gb3, gb4, gb5]);
}
