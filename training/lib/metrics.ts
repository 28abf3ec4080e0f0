/**
 * @module metrics
 * F1 per class and macro-F1 from parallel arrays of gold and predicted labels.
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
