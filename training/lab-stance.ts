/**
 * @module lab-stance
 * Experiments on the stance model (not part of `npm run train`): featurises every reply once with a
 * given message model (for the parent's toxicity), trains variants and reports macro-F1 on the
 * calibration part of the training replies, per source. `--final` also prints the held-out sets.
 *
 * Usage: node bin/run-ts.js training/lab-stance.ts [--models dir] [--final] <experiment>...
 */
import { STANCES } from "../src/contract/detection.ts";
import { createFeatureBuffer, DEFAULT_FEATURE_CONFIG } from "../src/domain/detect/features.ts";
import { normalizeTokens } from "../src/domain/detect/normalize.ts";
import { extractStanceFeatures } from "../src/domain/detect/stance-features.ts";
import { DEFAULT_MODELS_DIR, loadTextModels } from "../src/services/load-text-models.ts";
import { loadReplyExamples, type ReplyExample } from "./lib/datasets.ts";
import { f1Report } from "./lib/metrics.ts";
import { fitStanceOffsets, toDoc, trainSoftmax, type SparseDoc } from "./lib/trainer.ts";
import { toxicityScorer } from "./train-all.ts";

const S = STANCES.length;

function logits(w: Float32Array, bias: Float32Array, d: SparseDoc): number[] {
  const z = Array.from(bias);
  const scale = d.nScaled > 0 ? 1 / Math.sqrt(d.nScaled) : 0;
  for (let i = 0; i < d.idx.length; i++) {
    const v = i < d.nScaled ? scale : 1;
    const base = (d.idx[i] ?? 0) * S;
    for (let c = 0; c < S; c++) z[c] = (z[c] ?? 0) + v * (w[base + c] ?? 0);
  }
  return z;
}

const argmax = (z: number[], off: number[]): number => {
  let b = 0;
  for (let c = 1; c < S; c++) if ((z[c] ?? 0) + (off[c] ?? 0) > (z[b] ?? 0) + (off[b] ?? 0)) b = c;
  return b;
};

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const args = process.argv.slice(2);
  const mi = args.indexOf("--models");
  const models = await loadTextModels(mi >= 0 ? (args[mi + 1] ?? DEFAULT_MODELS_DIR) : DEFAULT_MODELS_DIR);
  const final = args.includes("--final");
  const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--models");
  const tox = toxicityScorer(models.message, models.messageHeader);
  const ex = loadReplyExamples();
  const fc = { ...DEFAULT_FEATURE_CONFIG, bits: 17 };
  const buf = createFeatureBuffer();
  const docs = ex.map((e) => {
    const p = normalizeTokens(e.parent);
    const r = normalizeTokens(e.reply);
    extractStanceFeatures(r, p, tox(p), tox(r), fc, buf);
    return toDoc(buf);
  });
  for (const name of names) {
    // name: gpt=<w>,tc=<w>,y22=<w>,y23=<w>,bal=<cap>,epochs=..,lr=..,off=<calib sources for offsets, '+'-joined>
    const o: Record<string, string> = {};
    for (const kv of name.split(",")) {
      const [k, v = ""] = kv.split("=");
      if (k) o[k] = v;
    }
    const gptW = Number(o.gpt ?? 3);
    const bal = Number(o.bal ?? 0);
    const trainIdx = ex.flatMap((e, i) => (e.part === "train" ? [i] : []));
    const w8 = (e: ReplyExample): number =>
      e.source === "gpt4o"
        ? gptW
        : e.source === "teamchat"
          ? Number(o.tc ?? 20)
          : e.source === "yu2022"
            ? Number(o.y22 ?? 1)
            : Number(o.y23 ?? 1);
    const counts = STANCES.map((s) => trainIdx.filter((i) => ex[i]?.stance === s).length);
    const sw = Float32Array.from(trainIdx, (i) => {
      const e = ex[i] as ReplyExample;
      const ratio = trainIdx.length / S / Math.max(1, counts[STANCES.indexOf(e.stance)] ?? 1);
      return w8(e) * (bal > 0 ? Math.min(bal, ratio) : 1);
    });
    const labels = Int32Array.from(trainIdx, (i) => STANCES.indexOf((ex[i] as ReplyExample).stance));
    const t = trainSoftmax(
      trainIdx.map((i) => docs[i] as SparseDoc),
      labels,
      sw,
      S,
      fc.bits,
      { epochs: Number(o.epochs ?? 6), lr: Number(o.lr ?? 0.2), l2: Number(o.l2 ?? 1e-6), seed: 20232 },
    );
    const zOf = (ix: number[]): number[][] => ix.map((i) => logits(t.weights, t.bias, docs[i] as SparseDoc));
    const offSources = (o.off ?? "").split("+").filter((s) => s !== "");
    let off = [0, 0, 0];
    if (offSources.length > 0) {
      const cal = ex.flatMap((e, i) => (e.part === "calib" && offSources.includes(e.source) ? [i] : []));
      off = fitStanceOffsets(
        zOf(cal),
        cal.map((i) => STANCES.indexOf((ex[i] as ReplyExample).stance)),
      );
    }
    const line = (label: string, ix: number[]): string => {
      const pred = zOf(ix).map((zz) => STANCES[argmax(zz, off)] ?? "neutral");
      const r = f1Report(
        ix.map((i) => (ex[i] as ReplyExample).stance),
        pred,
        STANCES,
      );
      return `${label} ${r.macroF1.toFixed(3)} [${STANCES.map((s) => (r.f1[s] ?? 0).toFixed(2)).join(" ")}] n ${ix.length}`;
    };
    const out = [`== ${name} offsets ${off.map((x) => x.toFixed(2)).join(" ")}`];
    for (const src of ["gpt4o", "yu2023", "yu2022", "teamchat"]) {
      out.push(
        line(
          `${src}-calib`,
          ex.flatMap((e, i) => (e.part === "calib" && e.source === src ? [i] : [])),
        ),
      );
    }
    if (final) {
      for (const set of ["reply-validation", "teamchat-replies-test"]) {
        out.push(
          line(
            set,
            ex.flatMap((e, i) => (e.evalSet === set ? [i] : [])),
          ),
        );
      }
    }
    process.stdout.write(out.join("\n") + "\n");
  }
}
