/**
 * @module stance-offsets
 * The stance model's decision rule, tuned on held-out training data: per-class offsets added to the
 * logits (so folded into the shipped bias; the model format and `upstander classify` are unchanged)
 * that maximise the mean, over held-out sets, of each set's macro-F1. The mean keeps the 112
 * team-chat calibration pairs from being outvoted by the 519 Reddit ones; macro-F1 rewards the rare
 * stances (challenge, endorse) that a plain argmax under-predicts.
 */
import { STANCES, type Stance } from "../../src/contract/detection.ts";
import { f1Report } from "./metrics.ts";
import type { SparseDoc } from "./trainer.ts";

const S = STANCES.length;

/** Softmax-model logits of a document (bucket-major weights, as trainSoftmax writes them). */
export function stanceLogits(w: Float32Array, bias: Float32Array | number[], d: SparseDoc): number[] {
  const z = Array.from(bias);
  const scale = d.nScaled > 0 ? 1 / Math.sqrt(d.nScaled) : 0;
  for (let i = 0; i < d.idx.length; i++) {
    const v = i < d.nScaled ? scale : 1;
    const base = (d.idx[i] ?? 0) * S;
    for (let c = 0; c < S; c++) z[c] = (z[c] ?? 0) + v * (w[base + c] ?? 0);
  }
  return z;
}

/** The stance with the highest logit + offset (ties to the earlier class). */
export function stanceArgmax(z: number[], off: number[]): Stance {
  let b = 0;
  for (let c = 1; c < S; c++) if ((z[c] ?? 0) + (off[c] ?? 0) > (z[b] ?? 0) + (off[b] ?? 0)) b = c;
  return STANCES[b] ?? "neutral";
}

export interface HeldOutSet {
  z: number[][];
  y: Stance[];
}

/**
 * Offsets for challenge and endorse (neutral, the last class, stays at 0) on a grid in [-2, 2], step
 * 0.1, maximising the mean of the sets' macro-F1; the first best point in grid order wins, so the
 * result is deterministic.
 */
export function fitMeanMacroOffsets(sets: HeldOutSet[]): number[] {
  let best = [0, 0, 0];
  let bestF = -1;
  for (let a = -20; a <= 20; a++) {
    for (let b = -20; b <= 20; b++) {
      const off = [a / 10, b / 10, 0];
      let f = 0;
      for (const s of sets) {
        f += f1Report(
          s.y,
          s.z.map((zz) => stanceArgmax(zz, off)),
          STANCES,
        ).macroF1;
      }
      if (f > bestF + 1e-12) {
        bestF = f;
        best = off;
      }
    }
  }
  return best;
}
