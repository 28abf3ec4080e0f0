/**
 * @module lab
 * Experiments on the message model (not part of `npm run train`): featurises every example once, then
 * trains variants and reports figures on the internal dev sets only (the calibration part of the
 * training material, per source), so that choices are never made on EDOS dev or the team-chat test
 * split. `--final` also prints those held-out sets, for the record after a choice is made.
 *
 * Usage: node bin/run-ts.js training/lab.ts <experiment> [--final] [--errors] [--blend=alpha | --blend-fb=alpha]
 * [--mask-identity] (--mask-identity: see NEUTRAL_IDENTITY_TERMS in lib/datasets.ts)
 * (--errors lists the team-chat dev split's misses and false alarms; --dev-below=N keeps team-chat ids
 * numbered N or above out of the dev split.)
 */
import { TEXT_CATEGORIES } from "../src/contract/detection.ts";
import {
  createFeatureBuffer,
  DEFAULT_FEATURE_CONFIG,
  extractMessageFeatures,
  type FeatureConfig,
} from "../src/domain/detect/features.ts";
import { dequantize, quantize, scoreLogits, type LinearModel } from "../src/domain/detect/linear-model.ts";
import { normalizeTokens } from "../src/domain/detect/normalize.ts";
import { loadMessageExamples, type MessageExample, type MessageExampleOptions } from "./lib/datasets.ts";
import { bestThreshold, f1At } from "./lib/metrics.ts";
import {
  toCsr,
  toDoc,
  trainLogisticFullBatch,
  trainOvr,
  trainOvrFullBatch,
  type FullBatchOptions,
  type SparseDoc,
  type TrainOptions,
} from "./lib/trainer.ts";

const K = TEXT_CATEGORIES.length;

export interface Prepared {
  examples: MessageExample[];
  tokens: string[][];
}

export function prepare(opts: MessageExampleOptions = {}): Prepared {
  const examples = loadMessageExamples(undefined, undefined, opts);
  return { examples, tokens: examples.map((e) => normalizeTokens(e.text)) };
}

export function featurise(p: Prepared, fc: FeatureConfig): SparseDoc[] {
  const buf = createFeatureBuffer();
  return p.tokens.map((t) => {
    extractMessageFeatures(t, fc, buf);
    return toDoc(buf);
  });
}

/** Logits of every document under a (float or dequantised) model. */
export function logitsOf(m: LinearModel, docs: SparseDoc[], which: number[]): Float64Array[] {
  const z = new Float64Array(K);
  const buf = createFeatureBuffer();
  return which.map((i) => {
    const d = docs[i];
    if (!d) throw new Error("no doc");
    buf.idx = d.idx;
    buf.n = d.idx.length;
    buf.nWord = d.nWord;
    buf.nScaled = d.nScaled;
    scoreLogits(m, buf, z);
    return Float64Array.from(z);
  });
}

export interface Recipe {
  fc: FeatureConfig;
  opts: TrainOptions;
  /** Weight of an example for class j (0 drops it), given its default weight. */
  weightOf: (e: MessageExample, j: number) => number;
  posCap: number;
  /** Up-weight team-chat positives too (false: the boost applies to the public data only). */
  boostTeamchat?: boolean;
  quantised: boolean;
  /** Average the weights of this many runs with different seeds (a linear model still). */
  ens?: number;
  /** Train every head by full-batch gradient descent (`trainOvrFullBatch`) instead of AdaGrad. */
  fullBatch?: FullBatchOptions;
}

export const BASE: Recipe = {
  fc: DEFAULT_FEATURE_CONFIG,
  opts: { epochs: 4, lr: 0.3, l2: 1e-6, seed: 20231 },
  weightOf: (e) => e.weight,
  posCap: 4,
  quantised: true,
};

export function trainRecipe(p: Prepared, docs: SparseDoc[], r: Recipe, trainIdx: number[]): LinearModel {
  const labels = new Int8Array(trainIdx.length * K);
  const weights = new Float32Array(trainIdx.length * K);
  const pos = new Float64Array(K);
  const neg = new Float64Array(K);
  trainIdx.forEach((i) => {
    const e = p.examples[i];
    if (!e) return;
    TEXT_CATEGORIES.forEach((c, j) => {
      if (r.weightOf(e, j) === 0) return;
      if (e.labels[c] === 1) pos[j] = (pos[j] ?? 0) + 1;
      else if (e.labels[c] === 0) neg[j] = (neg[j] ?? 0) + 1;
    });
  });
  const boost = TEXT_CATEGORIES.map((_, j) =>
    Math.min(r.posCap, Math.max(1, Math.sqrt((neg[j] ?? 1) / Math.max(1, pos[j] ?? 1)))),
  );
  trainIdx.forEach((i, d) => {
    const e = p.examples[i];
    if (!e) return;
    TEXT_CATEGORIES.forEach((c, j) => {
      const y = e.labels[c];
      const w = r.weightOf(e, j);
      labels[d * K + j] = y === null || w === 0 ? -1 : y;
      const b = e.source === "teamchat" && r.boostTeamchat === false ? 1 : (boost[j] ?? 1);
      weights[d * K + j] = w * (y === 1 ? b : 1);
    });
  });
  const tdocs = trainIdx.map((i) => docs[i] ?? { idx: new Int32Array(0), nWord: 0, nScaled: 0 });
  const t = r.fullBatch
    ? trainOvrFullBatch(toCsr(tdocs), labels, weights, K, r.fc.bits, r.fullBatch)
    : trainOvr(tdocs, labels, weights, K, r.fc.bits, r.opts);
  for (let s = 1; s < (r.fullBatch ? 1 : (r.ens ?? 1)); s++) {
    const u = trainOvr(tdocs, labels, weights, K, r.fc.bits, { ...r.opts, seed: r.opts.seed + s });
    for (let i = 0; i < t.weights.length; i++) t.weights[i] = (t.weights[i] ?? 0) + (u.weights[i] ?? 0);
    for (let i = 0; i < K; i++) t.bias[i] = (t.bias[i] ?? 0) + (u.bias[i] ?? 0);
  }
  const n = r.fullBatch ? 1 : (r.ens ?? 1);
  for (let i = 0; i < t.weights.length; i++) t.weights[i] = (t.weights[i] ?? 0) / n;
  for (let i = 0; i < K; i++) t.bias[i] = (t.bias[i] ?? 0) / n;
  const raw: LinearModel = { classes: TEXT_CATEGORIES, cfg: r.fc, weights: t.weights, bias: t.bias };
  if (!r.quantised) return raw;
  const { bytes, scales } = quantize(raw);
  return dequantize(
    {
      name: "lab",
      version: "0",
      kind: "ovr-logistic",
      classes: [...TEXT_CATEGORIES],
      features: r.fc,
      bias: Array.from(t.bias),
      scales,
      sha256: "",
      trainedOn: [],
    },
    bytes,
  );
}

const idxWhere = (p: Prepared, f: (e: MessageExample) => boolean): number[] =>
  p.examples.flatMap((e, i) => (f(e) ? [i] : []));

/**
 * Reports a model: EDOS/Guest misogyny macro-F1 on their calibration parts (threshold picked on the
 * other half of that calibration part, to be honest), and team-chat per-category F1 on the
 * team-chat dev part. With `final`, also on the held-out sets with thresholds picked on calibration.
 */
export function report(
  p: Prepared,
  docs: SparseDoc[],
  m: LinearModel,
  final: boolean,
  tcDev: number[],
  errors = false,
): string {
  const out: string[] = [];
  const j = TEXT_CATEGORIES.indexOf("misogyny");
  for (const src of ["edos", "guest"]) {
    const cal = idxWhere(p, (e) => e.source === src && e.part === "calib" && e.labels.misogyny !== null);
    const zs = logitsOf(m, docs, cal).map((z) => z[j] ?? 0);
    const ys = cal.map((i) => p.examples[i]?.labels.misogyny ?? 0);
    // two-fold on calibration: pick on half, measure on the other half, average.
    const a = zs.flatMap((_, i) => (i % 2 === 0 ? [i] : []));
    const b = zs.flatMap((_, i) => (i % 2 === 1 ? [i] : []));
    const pick = (ix: number[]): number =>
      bestThreshold(
        ix.map((i) => zs[i] ?? 0),
        ix.map((i) => ys[i] ?? 0),
        "macro",
      );
    const at = (ix: number[], t: number): number =>
      f1At(
        ix.map((i) => zs[i] ?? 0),
        ix.map((i) => ys[i] ?? 0),
        t,
      ).macro;
    const cv = (at(b, pick(a)) + at(a, pick(b))) / 2;
    let line = `${src}-calib macro ${cv.toFixed(3)} (n ${cal.length})`;
    if (final) {
      const set = src === "edos" ? "edos-dev" : "guest-dev";
      const ev = idxWhere(p, (e) => e.evalSet === set);
      const ze = logitsOf(m, docs, ev).map((z) => z[j] ?? 0);
      const ye = ev.map((i) => p.examples[i]?.labels.misogyny ?? 0);
      line += ` | ${set} macro ${f1At(ze, ye, pick(zs.map((_, i) => i))).macro.toFixed(3)}`;
    }
    out.push(line);
  }
  const tc = (ix: number[], name: string, thr?: number[]): number[] => {
    const zs = logitsOf(m, docs, ix);
    const ths: number[] = [];
    const f1s = TEXT_CATEGORIES.map((c, jj) => {
      const s = zs.map((z) => z[jj] ?? 0);
      const y = ix.map((i) => (p.examples[i]?.labels[c] === 1 ? 1 : 0));
      const t = thr?.[jj] ?? bestThreshold(s, y, "pos");
      ths.push(t);
      if (errors && !thr) {
        // The dev split's misses and false alarms (training-split messages only), to see what fails.
        ix.forEach((i, n) => {
          const hit = (s[n] ?? 0) >= t;
          if (hit !== (y[n] === 1)) out.push(`  ${c} ${hit ? "FP" : "FN"} ${p.examples[i]?.text ?? ""}`);
        });
      }
      return f1At(s, y, t).pos;
    });
    out.push(
      `${name} mean F1 ${(f1s.reduce((x, y) => x + y, 0) / K).toFixed(3)} [${f1s.map((f) => f.toFixed(2)).join(" ")}] (n ${ix.length}${thr ? "" : ", own best thresholds"})`,
    );
    return ths;
  };
  const ths = tc(tcDev, "teamchat-dev");
  if (final) {
    tc(
      idxWhere(p, (e) => e.evalSet === "teamchat-test"),
      "teamchat-test",
      ths,
    );
  }
  return out.join("\n");
}

/** Column of the misogyny head in the weight matrix (category order from src/contract/detection.ts). */
const MIS = TEXT_CATEGORIES.indexOf("misogyny");

const EXPERIMENTS: Record<string, Partial<Recipe>> = {
  base: {},
  float: { quantised: false },
  edosonly: { weightOf: (e) => (e.source === "edos" ? 1 : 0) },
  tc5: { weightOf: (e) => (e.source === "teamchat" ? 5 : e.weight) },
  // misogyny head (j = MIS) on sexism data only; team chat counts w for it
  misA: {
    weightOf: (e, j) =>
      j !== MIS
        ? e.weight
        : e.source === "edos" || e.source === "guest" || e.source === "teamchat"
          ? e.weight
          : 0,
  },
  misB: { weightOf: (e, j) => (j === MIS && e.source === "teamchat" ? 5 : e.weight) },
  misC: {
    weightOf: (e, j) =>
      j !== MIS
        ? e.weight
        : e.source === "edos" || e.source === "guest"
          ? e.weight
          : e.source === "teamchat"
            ? 5
            : 0,
  },
  misD: {
    weightOf: (e, j) => (j === MIS && (e.source === "davidson" || e.source === "hatexplain") ? 0 : e.weight),
  },
  misE: { weightOf: (e, j) => (j !== MIS ? e.weight : e.source === "edos" ? 1 : 0) },
  misF: {
    weightOf: (e, j) =>
      j !== MIS ? e.weight : e.source === "edos" || e.source === "teamchat" ? e.weight : 0,
  },
  misG: {
    weightOf: (e, j) => (j !== MIS ? e.weight : e.source === "edos" ? 1 : e.source === "teamchat" ? 3 : 0),
  },
  tc10: { weightOf: (e) => (e.source === "teamchat" ? 10 : e.weight) },
  tc40: { weightOf: (e) => (e.source === "teamchat" ? 40 : e.weight) },
  tc0: { weightOf: (e) => (e.source === "teamchat" ? 0 : e.weight) },
  tcNoBoost: { boostTeamchat: false },
  // every head by full-batch gradient descent (C = 4, 300 iterations), as the misogyny blend head
  fb: { fullBatch: { c: 4, iters: 300 } },
  fbNoBoost: { fullBatch: { c: 4, iters: 300 }, boostTeamchat: false },
};

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const { unitHash } = await import("./lib/datasets.ts");
  const args = process.argv.slice(2);
  const final = args.includes("--final");
  const names = args.filter((a) => !a.startsWith("--"));
  let t0 = performance.now();
  const p = prepare({ maskRoutedIdentity: args.includes("--mask-identity") });
  // --dev-below=N: team-chat ids numbered N or above (a new batch of data) always train, so the
  // batch is measured on the same dev messages as the model without it.
  const devBelow = Number(args.find((a) => a.startsWith("--dev-below="))?.slice(12) ?? Infinity);
  const isDev = (e: MessageExample): boolean =>
    e.source === "teamchat" &&
    e.part === "train" &&
    Number(e.id.replace(/\D/g, "")) < devBelow &&
    unitHash(`lab:${e.id}`) < 0.3;
  const tcDev = idxWhere(p, isDev);
  const trainIdx = idxWhere(p, (e) => e.part === "train" && !isDev(e));
  const cache = new Map<string, SparseDoc[]>();
  process.stderr.write(
    `prepared ${p.examples.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  for (const name of names) {
    // name[:key=value,...] overrides training options, e.g. edosonly:epochs=8,l2=1e-5
    const [base = "base", spec = ""] = name.split(":");
    const r: Recipe = { ...BASE, ...EXPERIMENTS[base] };
    for (const kv of spec.split(",").filter((x) => x !== "")) {
      const [k2 = "", v = ""] = kv.split("=");
      if (k2 === "bits" || k2 === "charMin" || k2 === "charMax") r.fc = { ...r.fc, [k2]: Number(v) };
      else if (k2 === "posCap") r.posCap = Number(v);
      else if (k2 === "ens") r.ens = Number(v);
      else if (k2 === "fbc" || k2 === "iters") {
        r.fullBatch = { c: 4, iters: 300, ...r.fullBatch, [k2 === "fbc" ? "c" : "iters"]: Number(v) };
      } else r.opts = { ...r.opts, [k2]: Number(v) };
    }
    const key = JSON.stringify(r.fc);
    t0 = performance.now();
    let docs = cache.get(key);
    if (!docs) cache.set(key, (docs = featurise(p, r.fc)));
    const m = trainRecipe(p, docs, r, trainIdx);
    const blend = args.find((a) => a.startsWith("--blend=") || a.startsWith("--blend-fb="));
    // Average the misogyny column with an EDOS-only misogyny head (still one linear model): AdaGrad
    // as the mix (--blend=alpha) or an L2 logistic regression by 300 full-batch steps, C = 4
    // (--blend-fb=alpha), as train-all does. A comma-separated list of alphas reports each.
    const alphas = blend
      ? blend
          .slice(blend.indexOf("=") + 1)
          .split(",")
          .map(Number)
      : [0];
    let ew: Float32Array = new Float32Array(0);
    let eb = 0;
    if (blend?.startsWith("--blend-fb=")) {
      const rows = trainIdx.filter((i) => p.examples[i]?.source === "edos");
      const h = trainLogisticFullBatch(
        rows.map((i) => docs[i] ?? { idx: new Int32Array(0), nWord: 0, nScaled: 0 }),
        Int8Array.from(rows, (i) => (p.examples[i]?.labels.misogyny === 1 ? 1 : 0)),
        new Float32Array(rows.length).fill(1),
        r.fc.bits,
        { c: 4, iters: 300 },
      );
      ew = new Float32Array(h.weights.length * K);
      h.weights.forEach((x, i) => (ew[i * K + MIS] = x));
      eb = h.bias[0] ?? 0;
    } else if (blend) {
      const e = trainRecipe(p, docs, { ...r, ...EXPERIMENTS.edosonly, quantised: false }, trainIdx);
      ew = e.weights;
      eb = e.bias[MIS] ?? 0;
    }
    for (const alpha of alphas) {
      const w = Float32Array.from(m.weights);
      const b = Float32Array.from(m.bias);
      if (alpha > 0) {
        for (let i = MIS; i < w.length; i += K) w[i] = (1 - alpha) * (w[i] ?? 0) + alpha * (ew[i] ?? 0);
        b[MIS] = (1 - alpha) * (b[MIS] ?? 0) + alpha * eb;
      }
      process.stdout.write(
        `== ${name}${blend ? ` alpha ${alpha}` : ""} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n${report(p, docs, { ...m, weights: w, bias: b }, final, tcDev, args.includes("--errors"))}\n`,
      );
    }
  }
}
