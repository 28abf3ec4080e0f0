import { describe, expect, it } from "vitest";
import { prng, toCsr, trainLogisticFullBatch, trainOvrFullBatch, type SparseDoc } from "./trainer.ts";

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

describe("trainOvrFullBatch", () => {
  // Each head must be exactly the binary full-batch fit on the examples whose label for it is known,
  // whether the heads go through the six-head unrolled pass or the generic one.
  for (const k of [6, 4]) {
    it(`gives every head the bits of trainLogisticFullBatch on its known examples (k = ${k})`, () => {
      const { docs, labels, weights } = fixture(300, k);
      const ovr = trainOvrFullBatch(toCsr(docs), labels, weights, k, BITS, { c: 2, iters: 25 });
      for (let c = 0; c < k; c++) {
        const known = docs.flatMap((_, d) => ((labels[d * k + c] ?? -1) >= 0 ? [d] : []));
        const one = trainLogisticFullBatch(
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
