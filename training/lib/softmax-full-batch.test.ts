import { describe, expect, it } from "vitest";
import { trainSoftmaxFullBatch } from "./softmax-full-batch.ts";
import { fitMeanMacroOffsets, stanceArgmax, stanceLogits } from "./stance-offsets.ts";
import type { SparseDoc } from "./trainer.ts";

// Three classes, each marked by its own flag bucket (1, 2, 3) plus a shared noise bucket (0).
const doc = (flag: number): SparseDoc => ({ idx: Int32Array.of(0, flag), nWord: 1, nScaled: 1 });
const docs = [1, 2, 3, 1, 2, 3, 1, 1].map(doc);
const labels = Int32Array.of(0, 1, 2, 0, 1, 2, 0, 0);

describe("trainSoftmaxFullBatch", () => {
  it("learns each class's marker, and gives the same bits on a second run", () => {
    const sw = new Float32Array(docs.length).fill(1);
    const a = trainSoftmaxFullBatch(docs, labels, sw, 3, 3, { c: 10, iters: 200 });
    const b = trainSoftmaxFullBatch(docs, labels, sw, 3, 3, { c: 10, iters: 200 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    const pred = docs.map((d) => stanceArgmax(stanceLogits(a.weights, a.bias, d), [0, 0, 0]));
    expect(pred).toEqual([
      "challenge",
      "endorse",
      "neutral",
      "challenge",
      "endorse",
      "neutral",
      "challenge",
      "challenge",
    ]);
  });

  it("shrinks weights more with a smaller C", () => {
    const sw = new Float32Array(docs.length).fill(1);
    const strong = trainSoftmaxFullBatch(docs, labels, sw, 3, 3, { c: 10, iters: 200 });
    const weak = trainSoftmaxFullBatch(docs, labels, sw, 3, 3, { c: 0.1, iters: 200 });
    const norm = (w: Float32Array): number => w.reduce((s, x) => s + x * x, 0);
    expect(norm(weak.weights)).toBeLessThan(norm(strong.weights));
  });
});

describe("fitMeanMacroOffsets", () => {
  it("raises a class that argmax never predicts when that lifts macro-F1", () => {
    // Endorse rows score just under neutral: a positive endorse offset recovers them.
    const z = [
      [-2, 0.9, 1],
      [-2, 0.8, 1],
      [-2, -1, 1],
      [-2, -1, 1],
      [1, -1, 0],
    ];
    const y = ["endorse", "endorse", "neutral", "neutral", "challenge"] as const;
    const off = fitMeanMacroOffsets([{ z, y: [...y] }]);
    expect(z.map((zz) => stanceArgmax(zz, off))).toEqual([...y]);
    expect(off[2]).toBe(0);
  });
});
