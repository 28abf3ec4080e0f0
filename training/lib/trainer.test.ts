import { describe, expect, it } from "vitest";
import {
  prng,
  toCsr,
  trainLogisticFullBatch,
  trainOvrFullBatch,
  type FullBatchOptions,
  type SparseDoc,
} from "./trainer.ts";

const BITS = 6;

/** Random sparse documents and labels (1, 0, or -1 for unknown) for `k` heads. */
function fixture(n: number, k: number): { docs: SparseDoc[]; labels: Int8Array; weights: Float32Array } {
  const rand = prng(7);
  const docs = Array.from({ length: n }, () => {
    const len = 1 + Math.floor(rand() * 12);
    const idx = Int32Array.from({ length: len }, () => Math.floor(rand() * 2 ** BITS));
    return { idx, nWord: len, nScaled: Math.max(0, len - 2) };
  });
  const labels = Int8Array.from({ length: n * k }, () => Math.floor(rand() * 3) - 1);
  const weights = Float32Array.from({ length: n * k }, () => 1 + Math.floor(rand() * 3));
  return { docs, labels, weights };
}

/**
 * The binary full-batch fit written out plainly, one document at a time (the single-head loop the
 * trainers were built from): Nesterov steps from zero, step 1 / (C * sum(w_i * |x_i|^2) / 4 + 1).
 */
function referenceLogistic(
  docs: SparseDoc[],
  labels: Int8Array,
  sampleWeights: Float32Array,
  bits: number,
  o: FullBatchOptions,
): { weights: Float32Array; bias: Float32Array } {
  const dim = 2 ** bits;
  let w = new Float64Array(dim);
  let prev = new Float64Array(dim);
  const look = new Float64Array(dim);
  const g = new Float64Array(dim);
  let b = 0;
  let prevB = 0;
  // Lipschitz bound of the gradient: C * sum(w_i * |x_i|^2) / 4 + 1 (|x_i|^2 counts the bias).
  let lip = 0;
  docs.forEach((doc, d) => {
    let n2 = 1;
    const scale = doc.nScaled > 0 ? 1 / Math.sqrt(doc.nScaled) : 0;
    for (let i = 0; i < doc.idx.length; i++) n2 += i < doc.nScaled ? scale * scale : 1;
    lip += (sampleWeights[d] ?? 1) * n2;
  });
  const step = 1 / ((o.c * lip) / 4 + 1);
  for (let it = 0; it < o.iters; it++) {
    const mom = it / (it + 3);
    for (let j = 0; j < dim; j++) {
      const v = (w[j] ?? 0) + mom * ((w[j] ?? 0) - (prev[j] ?? 0));
      look[j] = v;
      g[j] = v;
    }
    const lookB = b + mom * (b - prevB);
    let gb = 0;
    docs.forEach((doc, d) => {
      const scale = doc.nScaled > 0 ? 1 / Math.sqrt(doc.nScaled) : 0;
      let z = lookB;
      for (let i = 0; i < doc.idx.length; i++) {
        z += (i < doc.nScaled ? scale : 1) * (look[doc.idx[i] ?? 0] ?? 0);
      }
      const e = o.c * (sampleWeights[d] ?? 1) * (1 / (1 + Math.exp(-z)) - (labels[d] ?? 0));
      for (let i = 0; i < doc.idx.length; i++) {
        const j = doc.idx[i] ?? 0;
        g[j] = (g[j] ?? 0) + e * (i < doc.nScaled ? scale : 1);
      }
      gb += e;
    });
    const next = prev;
    prev = w;
    w = next;
    for (let j = 0; j < dim; j++) w[j] = (look[j] ?? 0) - step * (g[j] ?? 0);
    prevB = b;
    b = lookB - step * gb;
  }
  return { weights: Float32Array.from(w), bias: Float32Array.of(b) };
}

describe("trainOvrFullBatch", () => {
  // Each head must be exactly the binary full-batch fit on the examples whose label for it is known,
  // whether the heads go through the six-head unrolled pass or the generic one.
  for (const k of [6, 4]) {
    it(`gives every head the bits of the plain binary fit on its known examples (k = ${k})`, () => {
      const { docs, labels, weights } = fixture(300, k);
      const ovr = trainOvrFullBatch(toCsr(docs), labels, weights, k, BITS, { c: 2, iters: 25 });
      for (let c = 0; c < k; c++) {
        const known = docs.flatMap((_, d) => ((labels[d * k + c] ?? -1) >= 0 ? [d] : []));
        const one = referenceLogistic(
          known.map((d) => docs[d] ?? { idx: new Int32Array(0), nWord: 0, nScaled: 0 }),
          Int8Array.from(known, (d) => labels[d * k + c] ?? 0),
          Float32Array.from(known, (d) => weights[d * k + c] ?? 1),
          BITS,
          { c: 2, iters: 25 },
        );
        const column = Float32Array.from({ length: 2 ** BITS }, (_, i) => ovr.weights[i * k + c] ?? NaN);
        expect(column).toEqual(one.weights);
        expect(ovr.bias[c]).toBe(one.bias[0]);
      }
    });
  }

  it("trains a subset of heads to the same bits as training all of them", () => {
    const { docs, labels, weights } = fixture(200, 6);
    const x = toCsr(docs);
    const all = trainOvrFullBatch(x, labels, weights, 6, BITS, { c: 4, iters: 10 });
    const some = trainOvrFullBatch(x, labels, weights, 6, BITS, { c: 4, iters: 10 }, [1, 4]);
    for (let i = 0; i < 2 ** BITS; i++) {
      expect(some.weights[i * 2]).toBe(all.weights[i * 6 + 1]);
      expect(some.weights[i * 2 + 1]).toBe(all.weights[i * 6 + 4]);
    }
  });
});

describe("trainLogisticFullBatch", () => {
  it("gives the bits of the plain binary fit", () => {
    const { docs, labels, weights } = fixture(300, 1);
    const y = Int8Array.from(labels, (l) => (l > 0 ? 1 : 0));
    const got = trainLogisticFullBatch(docs, y, weights, BITS, { c: 3, iters: 30 });
    const want = referenceLogistic(docs, y, weights, BITS, { c: 3, iters: 30 });
    expect(got.weights).toEqual(want.weights);
    expect(got.bias).toEqual(want.bias);
  });
});
