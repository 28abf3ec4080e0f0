/**
 * @module softmax-full-batch
 * Multinomial (softmax) L2 logistic regression over hashed sparse documents, trained by full-batch
 * Nesterov gradient descent: the stance model's trainer. AdaGrad's single noisy pass per epoch
 * (trainer.ts) over-learns rare n-grams of a few thousand short Reddit replies; a full-batch fit of a
 * regularised objective gives small, smooth weights and does not depend on a shuffle order.
 *
 * Objective: C * sum_i(w_i * crossEntropy_i) + |W|^2 / 2, bias unregularised. The step is 1 / L with
 * L = C * lambdaMax(sum_i w_i x_i x_i^T) / 2 + 1 (the softmax cross-entropy's Hessian in the logits
 * is at most 1/2), lambdaMax estimated by power iteration: a much tighter bound than the sum of
 * |x_i|^2 that trainLogisticFullBatch uses, so a few hundred iterations get near the minimiser and C
 * means what it says. Float64 state, fixed operation order: deterministic.
 */
import type { SparseDoc, TrainedWeights } from "./trainer.ts";

export interface SoftmaxFullBatchOptions {
  /** Weight of the data term (inverse regularisation strength). */
  c: number;
  iters: number;
}

/** The feature value of a document's i-th bucket: scaled n-grams share 1/sqrt(n), flags count 1. */
function valueOf(doc: SparseDoc, i: number, scale: number): number {
  return i < doc.nScaled ? scale : 1;
}

function scaleOf(doc: SparseDoc): number {
  return doc.nScaled > 0 ? 1 / Math.sqrt(doc.nScaled) : 0;
}

/**
 * The largest eigenvalue of sum_i w_i x_i x_i^T (x_i with a constant 1 for the bias), by 40 steps
 * of power iteration from the all-ones vector; scaled up by 10% because power iteration approaches
 * it from below and a step above 1 / L can diverge.
 */
function gramLambdaMax(docs: SparseDoc[], sw: Float32Array, dim: number): number {
  let v = new Float64Array(dim + 1).fill(1 / Math.sqrt(dim + 1));
  let lambda = 0;
  for (let it = 0; it < 40; it++) {
    const u = new Float64Array(dim + 1);
    docs.forEach((doc, d) => {
      const scale = scaleOf(doc);
      let dot = v[dim] ?? 0;
      for (let i = 0; i < doc.idx.length; i++) dot += valueOf(doc, i, scale) * (v[doc.idx[i] ?? 0] ?? 0);
      const e = (sw[d] ?? 1) * dot;
      for (let i = 0; i < doc.idx.length; i++) {
        const j = doc.idx[i] ?? 0;
        u[j] = (u[j] ?? 0) + e * valueOf(doc, i, scale);
      }
      u[dim] = (u[dim] ?? 0) + e;
    });
    let norm = 0;
    for (let j = 0; j <= dim; j++) norm += (u[j] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    lambda = norm;
    for (let j = 0; j <= dim; j++) u[j] = (u[j] ?? 0) / norm;
    v = u;
  }
  return lambda * 1.1;
}

/** Trains the softmax regression; weights are laid out bucket-major (`w[bucket * k + class]`). */
export function trainSoftmaxFullBatch(
  docs: SparseDoc[],
  labels: Int32Array,
  sampleWeights: Float32Array,
  k: number,
  bits: number,
  o: SoftmaxFullBatchOptions,
): TrainedWeights {
  const dim = 2 ** bits;
  const size = dim * k;
  const step = 1 / ((o.c * gramLambdaMax(docs, sampleWeights, dim)) / 2 + 1);
  let w = new Float64Array(size);
  let prev = new Float64Array(size);
  const look = new Float64Array(size);
  const g = new Float64Array(size);
  let b = new Float64Array(k);
  let prevB = new Float64Array(k);
  const lookB = new Float64Array(k);
  const gb = new Float64Array(k);
  const z = new Float64Array(k);
  for (let it = 0; it < o.iters; it++) {
    const mom = it / (it + 3);
    for (let j = 0; j < size; j++) {
      const v = (w[j] ?? 0) + mom * ((w[j] ?? 0) - (prev[j] ?? 0));
      look[j] = v;
      g[j] = v;
    }
    for (let c = 0; c < k; c++) {
      lookB[c] = (b[c] ?? 0) + mom * ((b[c] ?? 0) - (prevB[c] ?? 0));
      gb[c] = 0;
    }
    docs.forEach((doc, d) => {
      const scale = scaleOf(doc);
      for (let c = 0; c < k; c++) z[c] = lookB[c] ?? 0;
      for (let i = 0; i < doc.idx.length; i++) {
        const v = valueOf(doc, i, scale);
        const base = (doc.idx[i] ?? 0) * k;
        for (let c = 0; c < k; c++) z[c] = (z[c] ?? 0) + v * (look[base + c] ?? 0);
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[c] ?? 0);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp((z[c] ?? 0) - max);
      const cw = o.c * (sampleWeights[d] ?? 1);
      for (let c = 0; c < k; c++) {
        z[c] = cw * (Math.exp((z[c] ?? 0) - max) / sum - (labels[d] === c ? 1 : 0));
        gb[c] = (gb[c] ?? 0) + (z[c] ?? 0);
      }
      for (let i = 0; i < doc.idx.length; i++) {
        const v = valueOf(doc, i, scale);
        const base = (doc.idx[i] ?? 0) * k;
        for (let c = 0; c < k; c++) g[base + c] = (g[base + c] ?? 0) + v * (z[c] ?? 0);
      }
    });
    const next = prev;
    prev = w;
    w = next;
    for (let j = 0; j < size; j++) w[j] = (look[j] ?? 0) - step * (g[j] ?? 0);
    const nextB = prevB;
    prevB = b;
    b = nextB;
    for (let c = 0; c < k; c++) b[c] = (lookB[c] ?? 0) - step * (gb[c] ?? 0);
  }
  return { weights: Float32Array.from(w), bias: Float32Array.from(b) };
}
