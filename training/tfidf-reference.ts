/**
 * @module tfidf-reference
 * A reference, not a shipped model: the "plain TF-IDF word + char n-gram logistic regression" that
 * ../shared/data/README.md quotes for EDOS (about 0.77 macro-F1 on EDOS test), rebuilt here so our
 * hashed model can be compared with it on the same rows, measured the same way.
 *
 * As in the usual scikit-learn recipe: lower-cased raw text; word uni+bigrams (tokens of 2+ word
 * characters) and character 2-5-grams inside word boundaries (char_wb), each with min_df 2,
 * sublinear tf and smoothed idf, each block L2-normalised, the two blocks concatenated; an L2
 * logistic regression (objective C * sum of log losses + |w|^2 / 2, C = 1 unless --C) minimised by
 * full-batch Nesterov gradient descent. Trained on EDOS train (all of it, or without the
 * calibration part with --calib), scored on EDOS dev at probability 0.5 and at the threshold that
 * maximises macro-F1 on EDOS's calibration part.
 *
 * Usage: node bin/run-ts.js training/tfidf-reference.ts [--C 1] [--calib]
 */
import { loadMessageExamples, type MessageExample } from "./lib/datasets.ts";
import { bestThreshold, f1At } from "./lib/metrics.ts";

interface Csr {
  rows: Int32Array[];
  vals: Float32Array[];
  dim: number;
}

function wordGrams(text: string): string[] {
  const toks = text.toLowerCase().match(/\b\w\w+\b/gu) ?? [];
  const out = [...toks];
  for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i] ?? ""} ${toks[i + 1] ?? ""}`);
  return out;
}

function charGrams(text: string): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().split(/\s+/u)) {
    if (w === "") continue;
    const s = ` ${w} `;
    for (let n = 2; n <= 5; n++) {
      if (s.length < n) break;
      for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
    }
  }
  return out;
}

/** Fits a TF-IDF block on `fit` documents and transforms `all`, returning L2-normalised rows. */
function tfidfBlock(fit: string[][], all: string[][]): Csr {
  const df = new Map<string, number>();
  for (const d of fit) for (const g of new Set(d)) df.set(g, (df.get(g) ?? 0) + 1);
  const vocab = new Map<string, number>();
  const idf: number[] = [];
  for (const [g, n] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (n < 2) continue;
    vocab.set(g, vocab.size);
    idf.push(Math.log((1 + fit.length) / (1 + n)) + 1);
  }
  const rows: Int32Array[] = [];
  const vals: Float32Array[] = [];
  for (const d of all) {
    const tf = new Map<number, number>();
    for (const g of d) {
      const j = vocab.get(g);
      if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
    }
    const idx = [...tf.keys()].sort((a, b) => a - b);
    const v = idx.map((j) => (1 + Math.log(tf.get(j) ?? 1)) * (idf[j] ?? 1));
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    rows.push(Int32Array.from(idx));
    vals.push(Float32Array.from(v, (x) => x / norm));
  }
  return { rows, vals, dim: vocab.size };
}

function hstack(a: Csr, b: Csr): Csr {
  return {
    rows: a.rows.map((r, i) => Int32Array.from([...r, ...Array.from(b.rows[i] ?? [], (j) => j + a.dim)])),
    vals: a.vals.map((v, i) => Float32Array.from([...v, ...(b.vals[i] ?? [])])),
    dim: a.dim + b.dim,
  };
}

function dot(w: Float64Array, r: Int32Array, v: Float32Array): number {
  let s = w[w.length - 1] ?? 0; // bias, unregularised
  for (let i = 0; i < r.length; i++) s += (w[r[i] ?? 0] ?? 0) * (v[i] ?? 0);
  return s;
}

/** L2 logistic regression by full-batch Nesterov descent on C * sum(loss) + |w|^2 / 2 (bias free). */
export function fitLogistic(x: Csr, train: number[], y: number[], c: number, iters = 400): Float64Array {
  const dim = x.dim + 1;
  let w = new Float64Array(dim);
  let prev = new Float64Array(dim);
  const g = new Float64Array(dim);
  // Lipschitz bound: C * n * max|x|^2 / 4 + 1, with |x|^2 = 2 (two unit blocks) plus the bias.
  const step = 1 / ((c * train.length * 3) / 4 + 1);
  for (let it = 0; it < iters; it++) {
    const mom = it / (it + 3);
    const look = new Float64Array(dim);
    for (let j = 0; j < dim; j++) look[j] = (w[j] ?? 0) + mom * ((w[j] ?? 0) - (prev[j] ?? 0));
    for (let j = 0; j < dim - 1; j++) g[j] = look[j] ?? 0;
    g[dim - 1] = 0;
    train.forEach((d, k) => {
      const r = x.rows[d] ?? new Int32Array(0);
      const v = x.vals[d] ?? new Float32Array(0);
      const p = 1 / (1 + Math.exp(-dot(look, r, v)));
      const e = c * (p - (y[k] ?? 0));
      for (let i = 0; i < r.length; i++) g[r[i] ?? 0] = (g[r[i] ?? 0] ?? 0) + e * (v[i] ?? 0);
      g[dim - 1] = (g[dim - 1] ?? 0) + e;
    });
    prev = w;
    w = new Float64Array(dim);
    for (let j = 0; j < dim; j++) w[j] = (look[j] ?? 0) - step * (g[j] ?? 0);
  }
  return w;
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const args = process.argv.slice(2);
  const cIdx = args.indexOf("--C");
  const c = cIdx >= 0 ? Number(args[cIdx + 1]) : 1;
  const holdCalib = args.includes("--calib");
  const edos = loadMessageExamples().filter((e) => e.source === "edos");
  const fitRows = edos.flatMap((e, i) =>
    e.part === "train" || (!holdCalib && e.part === "calib") ? [i] : [],
  );
  const calRows = edos.flatMap((e, i) => (e.part === "calib" ? [i] : []));
  const devRows = edos.flatMap((e, i) => (e.evalSet === "edos-dev" ? [i] : []));
  const words = edos.map((e: MessageExample) => wordGrams(e.text));
  const chars = edos.map((e: MessageExample) => charGrams(e.text));
  const x = hstack(
    tfidfBlock(
      fitRows.map((i) => words[i] ?? []),
      words,
    ),
    tfidfBlock(
      fitRows.map((i) => chars[i] ?? []),
      chars,
    ),
  );
  const y = edos.map((e) => (e.labels.misogyny === 1 ? 1 : 0));
  const w = fitLogistic(
    x,
    fitRows,
    fitRows.map((i) => y[i] ?? 0),
    c,
  );
  const score = (rows: number[]): number[] =>
    rows.map((i) => dot(w, x.rows[i] ?? new Int32Array(0), x.vals[i] ?? new Float32Array(0)));
  const dev = score(devRows);
  const yDev = devRows.map((i) => y[i] ?? 0);
  const tCal = bestThreshold(
    score(calRows),
    calRows.map((i) => y[i] ?? 0),
    "macro",
  );
  process.stdout.write(
    `tfidf-lr C=${c} dims=${x.dim} fit=${fitRows.length}: edos-dev macro-F1 ${f1At(dev, yDev, 0).macro.toFixed(3)} at p=0.5, ${f1At(dev, yDev, tCal).macro.toFixed(3)} at the calibration part's best threshold${holdCalib ? "" : " (calibration part trained on: optimistic)"}\n`,
  );
}
