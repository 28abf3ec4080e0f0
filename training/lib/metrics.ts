/**
 * @module metrics
 * F1 per class and macro-F1 from parallel arrays of gold and predicted labels; binary F1 of scores
 * at a threshold, and the threshold that maximises it.
 */

export interface ClassReport {
  f1: Record<string, number>;
  support: Record<string, number>;
  macroF1: number;
  n: number;
}

/** Per-class F1 (one-vs-rest over `classes`) and their unweighted mean. */
export function f1Report(gold: string[], pred: string[], classes: readonly string[]): ClassReport {
  const f1: Record<string, number> = {};
  const support: Record<string, number> = {};
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === c;
      const p = pred[i] === c;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    f1[c] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    support[c] = tp + fn;
  }
  const macroF1 = classes.reduce((s, c) => s + (f1[c] ?? 0), 0) / Math.max(1, classes.length);
  return { f1, support, macroF1, n: gold.length };
}

/** F1 of the positive class and binary macro-F1 at threshold `t` on scores `s`. */
export function f1At(s: number[], y: number[], t: number): { pos: number; macro: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < s.length; i++) {
    const p = (s[i] ?? 0) >= t;
    if (p && y[i] === 1) tp++;
    else if (p) fp++;
    else if (y[i] === 1) fn++;
    else tn++;
  }
  const pos = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  const neg = tn === 0 ? 0 : (2 * tn) / (2 * tn + fn + fp);
  return { pos, macro: (pos + neg) / 2 };
}

/** The threshold, among 199 quantiles of the scores `s`, maximising `key` (pos F1 or binary macro-F1). */
export function bestThreshold(s: number[], y: number[], key: "pos" | "macro"): number {
  const sorted = [...s].sort((a, b) => a - b);
  let best = 0;
  let bestV = -1;
  for (let q = 1; q < 200; q++) {
    const t = sorted[Math.floor((q / 200) * sorted.length)] ?? 0;
    const v = f1At(s, y, t)[key];
    if (v > bestV) {
      bestV = v;
      best = t;
    }
  }
  return best;
}
