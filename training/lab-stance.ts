/**
 * @module lab-stance
 * Experiments on the stance model (not part of `npm run train`): featurises every reply once with a
 * given message model (for the parent's toxicity), trains variants and reports macro-F1 on the
 * calibration part of the training replies, per source. `--final` also prints the held-out sets.
 * An experiment with `folds=5` instead reports 5-fold cross-validation over all GPT-4o-labelled
 * replies and team-chat training pairs (training side only; much less noisy than the calibration
 * parts). `--xf` adds a feature prototype (see below). Results: models/text-stance.md.
 *
 * Usage: node bin/run-ts.js training/lab-stance.ts [--models dir] [--final] [--xf] <experiment>...
 *   experiment: comma-separated key=value: gpt, tc, y22, y23 (source weights; 0 drops a source),
 *   bal (class-balance cap), opt=fb with C and iters (full-batch softmax) or epochs, lr, l2 (AdaGrad),
 *   off (calibration sources for pooled offsets) or offm (offsets maximising the mean per-source
 *   macro-F1), folds.
 */
import { STANCES } from "../src/contract/detection.ts";
import {
  addFlag,
  createFeatureBuffer,
  DEFAULT_FEATURE_CONFIG,
  extractMessageFeatures,
  type FeatureBuffer,
  type FeatureConfig,
} from "../src/domain/detect/features.ts";
import {
  scoreLogits,
  sigmoid,
  type LinearModel,
  type ModelHeader,
} from "../src/domain/detect/linear-model.ts";
import { normalizeTokens } from "../src/domain/detect/normalize.ts";
import { extractStanceFeatures } from "../src/domain/detect/stance-features.ts";
import { DEFAULT_MODELS_DIR, loadTextModels } from "../src/services/load-text-models.ts";
import { loadReplyExamples, unitHash, type ReplyExample } from "./lib/datasets.ts";
import { f1Report } from "./lib/metrics.ts";
import { trainSoftmaxFullBatch } from "./lib/softmax-full-batch.ts";
import { fitMeanMacroOffsets, stanceArgmax, stanceLogits, type HeldOutSet } from "./lib/stance-offsets.ts";
import { fitStanceOffsets, toDoc, trainSoftmax, type SparseDoc } from "./lib/trainer.ts";
import { toxicityScorer } from "./train-all.ts";

const S = STANCES.length;

/** Each category's calibrated score of normalised tokens under the message model. */
function categoryScorer(message: LinearModel, header: Pick<ModelHeader, "platt">): (t: string[]) => number[] {
  const mbuf = createFeatureBuffer();
  const z = new Float64Array(message.classes.length);
  return (tokens) => {
    extractMessageFeatures(tokens, message.cfg, mbuf);
    scoreLogits(message, mbuf, z);
    return message.classes.map((_, c) =>
      sigmoid((header.platt?.[c]?.a ?? 1) * (z[c] ?? 0) + (header.platt?.[c]?.b ?? 0)),
    );
  };
}

function addCategoryFlags(buf: FeatureBuffer, reply: number[], parent: number[], fc: FeatureConfig): void {
  const b = (p: number): number => Math.min(4, Math.floor(p * 5));
  reply.forEach((p, c) => {
    addFlag(buf, `xr:${c}:${b(p)}`, fc);
    addFlag(buf, `xp:${c}:${b(parent[c] ?? 0)}`, fc);
    addFlag(buf, `xrp:${c}:${b(p)}:${b(parent[c] ?? 0)}`, fc);
  });
  const mr = Math.max(...reply);
  const mp = Math.max(...parent);
  addFlag(buf, `xmax:${Math.floor(mr * 10)}`, fc);
  addFlag(buf, `xmaxrp:${b(mr)}:${b(mp)}`, fc);
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const args = process.argv.slice(2);
  const mi = args.indexOf("--models");
  const models = await loadTextModels(mi >= 0 ? (args[mi + 1] ?? DEFAULT_MODELS_DIR) : DEFAULT_MODELS_DIR);
  const final = args.includes("--final");
  const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--models");
  const tox = toxicityScorer(models.message, models.messageHeader);
  // --xf: a feature prototype (not in src/): each message category's calibrated score of the reply
  // and of the parent, in five buckets, and the reply's crossed with the parent's.
  const extra = args.includes("--xf");
  const catScores = categoryScorer(models.message, models.messageHeader);
  const ex = loadReplyExamples();
  const fc = { ...DEFAULT_FEATURE_CONFIG, bits: 17 };
  const buf = createFeatureBuffer();
  const docs = ex.map((e) => {
    const p = normalizeTokens(e.parent);
    const r = normalizeTokens(e.reply);
    extractStanceFeatures(r, p, tox(p), tox(r), fc, buf);
    if (extra) addCategoryFlags(buf, catScores(r), catScores(p), fc);
    return toDoc(buf);
  });
  for (const name of names) {
    const o: Record<string, string> = {};
    for (const kv of name.split(",")) {
      const [k, v = ""] = kv.split("=");
      if (k) o[k] = v;
    }
    const gptW = Number(o.gpt ?? 3);
    const bal = Number(o.bal ?? 0);
    const w8 = (e: ReplyExample): number =>
      e.source === "gpt4o"
        ? gptW
        : e.source === "teamchat"
          ? Number(o.tc ?? 20)
          : e.source === "yu2022"
            ? Number(o.y22 ?? 1)
            : Number(o.y23 ?? 1);
    const fit = (trainIdx: number[]): { weights: Float32Array; bias: Float32Array } => {
      const counts = STANCES.map((s) => trainIdx.filter((i) => ex[i]?.stance === s).length);
      const sw = Float32Array.from(trainIdx, (i) => {
        const e = ex[i] as ReplyExample;
        const ratio = trainIdx.length / S / Math.max(1, counts[STANCES.indexOf(e.stance)] ?? 1);
        return w8(e) * (bal > 0 ? Math.min(bal, ratio) : 1);
      });
      const labels = Int32Array.from(trainIdx, (i) => STANCES.indexOf((ex[i] as ReplyExample).stance));
      const trainDocs = trainIdx.map((i) => docs[i] as SparseDoc);
      return o.opt === "fb"
        ? trainSoftmaxFullBatch(trainDocs, labels, sw, S, fc.bits, {
            c: Number(o.C ?? 1),
            iters: Number(o.iters ?? 300),
          })
        : trainSoftmax(trainDocs, labels, sw, S, fc.bits, {
            epochs: Number(o.epochs ?? 6),
            lr: Number(o.lr ?? 0.2),
            l2: Number(o.l2 ?? 1e-6),
            seed: 20232,
          });
    };
    const folds = Number(o.folds ?? 0);
    if (folds > 0) {
      // Cross-validation on the training side only: the Reddit GPT-4o replies and the team-chat
      // training pairs are cut into folds (by hash of id); each fold is scored by a model trained on
      // everything else, and its offsets are fitted on the other folds' scores (cross-fitted, so the
      // offset figure is not optimistic). Five to ten times the calibration part's rows: less noise.
      const heldSources = ["gpt4o", "teamchat"];
      const foldOf = (e: ReplyExample): number => Math.floor(unitHash(`fold:${e.source}:${e.id}`) * folds);
      const z = new Map<number, number[]>();
      for (let f = 0; f < folds; f++) {
        const tr = ex.flatMap((e, i) =>
          e.part !== "eval" && !(heldSources.includes(e.source) && foldOf(e) === f) ? [i] : [],
        );
        const t = fit(tr);
        ex.forEach((e, i) => {
          if (e.part !== "eval" && heldSources.includes(e.source) && foldOf(e) === f) {
            z.set(i, stanceLogits(t.weights, t.bias, docs[i] as SparseDoc));
          }
        });
      }
      const held = [...z.keys()];
      const setsOf = (pred: (i: number) => boolean): Array<HeldOutSet & { ix: number[] }> =>
        heldSources.map((src) => {
          const ix = held.filter((i) => ex[i]?.source === src && pred(i));
          return {
            ix,
            z: ix.map((i) => z.get(i) ?? [0, 0, 0]),
            y: ix.map((i) => (ex[i] as ReplyExample).stance),
          };
        });
      const predOff = new Map<number, number[]>();
      const offs: string[] = [];
      for (let f = 0; f < folds; f++) {
        const off = fitMeanMacroOffsets(setsOf((i) => foldOf(ex[i] as ReplyExample) !== f));
        offs.push(off.map((x) => x.toFixed(1)).join("/"));
        for (const i of held) if (foldOf(ex[i] as ReplyExample) === f) predOff.set(i, off);
      }
      const out = [`== ${name} cross-fitted offsets ${offs.join(" ")}`];
      for (const s of setsOf(() => true)) {
        const r0 = f1Report(
          s.y,
          s.z.map((zz) => stanceArgmax(zz, [0, 0, 0])),
          STANCES,
        );
        const r1 = f1Report(
          s.y,
          s.ix.map((i) => stanceArgmax(z.get(i) ?? [], predOff.get(i) ?? [0, 0, 0])),
          STANCES,
        );
        const fmt = (r: typeof r0): string =>
          `${r.macroF1.toFixed(3)} [${STANCES.map((c) => (r.f1[c] ?? 0).toFixed(2)).join(" ")}]`;
        out.push(
          `${s.ix[0] !== undefined ? ex[s.ix[0]]?.source : "?"}-cv n ${s.ix.length} argmax ${fmt(r0)} offsets ${fmt(r1)}`,
        );
      }
      process.stdout.write(out.join("\n") + "\n");
      continue;
    }
    const trainIdx = ex.flatMap((e, i) => (e.part === "train" ? [i] : []));
    const t = fit(trainIdx);
    const zOf = (ix: number[]): number[][] =>
      ix.map((i) => stanceLogits(t.weights, t.bias, docs[i] as SparseDoc));
    const offSources = (o.off ?? "").split("+").filter((s) => s !== "");
    let off = [0, 0, 0];
    const meanSources = (o.offm ?? "").split("+").filter((s) => s !== "");
    if (meanSources.length > 0) {
      const sets = meanSources.map((src) => {
        const ix = ex.flatMap((e, i) => (e.part === "calib" && e.source === src ? [i] : []));
        return { z: zOf(ix), y: ix.map((i) => (ex[i] as ReplyExample).stance) };
      });
      off = fitMeanMacroOffsets(sets);
    } else if (offSources.length > 0) {
      const cal = ex.flatMap((e, i) => (e.part === "calib" && offSources.includes(e.source) ? [i] : []));
      off = fitStanceOffsets(
        zOf(cal),
        cal.map((i) => STANCES.indexOf((ex[i] as ReplyExample).stance)),
      );
    }
    const line = (label: string, ix: number[]): string => {
      const pred = zOf(ix).map((zz) => stanceArgmax(zz, off));
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
