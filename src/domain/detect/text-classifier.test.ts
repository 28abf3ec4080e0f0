/**
 * The optimised classifier (a contributions pass per explained category, memoised hashes, reused
 * buffers) against the straightforward computation written out plainly here: same scores, flags,
 * reasons and stance, on random models (never the shipped ones, which are retrained) and a varied
 * corpus.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../tests/helpers/random.ts";
import {
  BASE_RATE_EVIDENCE,
  TEXT_CATEGORIES,
  type ClassifyInput,
  type ClassifyResult,
  type Reason,
} from "../../contract/detection.ts";
import {
  createFeatureBuffer,
  evidenceText,
  extractMessageFeatures,
  featureValue,
  type FeatureBuffer,
} from "./features.ts";
import {
  decodeQuantized,
  dequantize,
  quantize,
  sigmoid,
  softmaxInPlace,
  type InferenceModel,
  type LinearModel,
  type ModelHeader,
} from "./linear-model.ts";
import { normalizeTokens } from "./normalize.ts";
import { extractStanceFeatures } from "./stance-features.ts";
import { createTextClassifierCore, round } from "./text-classifier.ts";

/** Models with float weights or int8 codes, which the reference below reads directly. */
interface FloatModels {
  message: InferenceModel;
  messageHeader: ModelHeader;
  stance: InferenceModel;
  stanceHeader: ModelHeader;
}

/** The weight of `bucket` for class `c`: a float weight, or an int8 code times its class's scale. */
function weightOf(m: InferenceModel, bucket: number, c: number): number {
  const i = bucket * m.classes.length + c;
  return "q" in m ? (m.q[i] ?? 0) * (m.scales[c] ?? 1) : (m.weights[i] ?? 0);
}

/**
 * A dot product per class. Int8 codes by their definition (linear-model.ts): the codes of the
 * n-gram features and of the flags summed as integers, then bias + scale * (ngrams / sqrt(n) + flags).
 */
function logitsOf(m: InferenceModel, f: FeatureBuffer): number[] {
  return m.classes.map((_, c) => {
    if ("q" in m) {
      let ngrams = 0;
      let flags = 0;
      for (let i = 0; i < f.n; i++) {
        const q = m.q[(f.idx[i] ?? 0) * m.classes.length + c] ?? 0;
        if (i < f.nScaled) ngrams += q;
        else flags += q;
      }
      const inv = f.nScaled > 0 ? 1 / Math.sqrt(f.nScaled) : 0;
      return (m.bias[c] ?? 0) + (m.scales[c] ?? 1) * (ngrams * inv + flags);
    }
    let z = m.bias[c] ?? 0;
    for (let i = 0; i < f.n; i++) {
      z += featureValue(i, f.nWord, f.nScaled) * weightOf(m, f.idx[i] ?? 0, c);
    }
    return z;
  });
}

function randomModel(
  seed: number,
  classes: string[],
  bits: number,
  biasShift = 0,
): { model: LinearModel; header: ModelHeader } {
  const rnd = mulberry32(seed);
  const cfg = { bits, charMin: 3, charMax: 5, maxTokens: 400 };
  const weights = new Float32Array(2 ** bits * classes.length);
  for (let i = 0; i < weights.length; i++) weights[i] = (rnd() - 0.5) * 4;
  const bias = classes.map(() => rnd() * 2 - 2 + biasShift);
  const header: ModelHeader = {
    name: "random",
    version: "0",
    kind: "ovr-logistic",
    classes,
    features: cfg,
    bias,
    scales: classes.map(() => 1),
    platt: classes.map(() => ({ a: 0.5 + rnd(), b: rnd() - 0.5 })),
    thresholds: classes.map(() => 0.3 + rnd() * 0.4),
    sha256: "",
    trainedOn: [],
  };
  return { model: { classes, cfg, weights, bias: Float32Array.from(bias) }, header };
}

/** The scoring written out plainly: a dot product per class, reasons by a map of sums and a sort. */
function reference(models: FloatModels, input: ClassifyInput): ClassifyResult {
  const { message, messageHeader, stance } = models;
  const logits = logitsOf;
  const calibrated = (c: number, z: number): number => {
    const p = messageHeader.platt?.[c];
    return p ? sigmoid(p.a * z + p.b) : sigmoid(z);
  };
  const buf = createFeatureBuffer();
  const tokens = normalizeTokens(input.text);
  extractMessageFeatures(tokens, message.cfg, buf);
  const z = logits(message, buf);
  const scores = { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 };
  const flagged: ClassifyResult["flagged"] = [];
  const reasons: Reason[] = [];
  let replyTox = 0;
  for (const cat of TEXT_CATEGORIES) {
    const c = message.classes.indexOf(cat);
    const p = calibrated(c, z[c] ?? 0);
    scores[cat] = round(p, 4);
    replyTox = Math.max(replyTox, p);
    const isFlagged = p >= (messageHeader.thresholds?.[c] ?? 0.5);
    if (isFlagged) flagged.push(cat);
    if (p < 0.05 && !isFlagged) continue;
    const byEvidence = new Map<number, number>();
    let spanless = message.bias[c] ?? 0;
    for (let i = 0; i < buf.n; i++) {
      const ev = buf.ev[i] ?? -1;
      const x = featureValue(i, buf.nWord, buf.nScaled) * weightOf(message, buf.idx[i] ?? 0, c);
      if (ev < 0) spanless += x;
      else byEvidence.set(ev, (byEvidence.get(ev) ?? 0) + x);
    }
    const byKey = new Map<string | number, number>();
    for (const [ev, x] of [...byEvidence].sort((a, b) => a[0] - b[0])) {
      if (x === 0) continue;
      const key = ev < buf.tokens.length ? (buf.tokens[ev] ?? "") : ev;
      byKey.set(key, (byKey.get(key) ?? 0) + x);
    }
    const top = [...byKey]
      .filter(([, x]) => x >= 0.05)
      .sort((p1, q1) => q1[1] - p1[1] || (String(p1[0]) < String(q1[0]) ? -1 : 1))
      .slice(0, isFlagged ? 5 : 2);
    for (const [key, x] of top) {
      reasons.push({
        category: cat,
        evidence: typeof key === "string" ? key : evidenceText(buf, key),
        weight: round(x, 3),
      });
    }
    if (isFlagged && top.length === 0) {
      reasons.push({ category: cat, evidence: BASE_RATE_EVIDENCE, weight: round(spanless, 3) });
    }
  }
  const result: ClassifyResult = { id: input.id, scores, flagged, reasons };
  if (input.replyTo !== undefined) {
    const parent = normalizeTokens(input.replyTo);
    const pbuf = createFeatureBuffer();
    extractMessageFeatures(parent, message.cfg, pbuf);
    const pz = logits(message, pbuf);
    const parentTox = Math.max(0, ...pz.map((x, c) => calibrated(c, x)));
    const sbuf = createFeatureBuffer();
    extractStanceFeatures(tokens, parent, parentTox, replyTox, stance.cfg, sbuf);
    const s = Float64Array.from(logits(stance, sbuf));
    softmaxInPlace(s, stance.classes.length);
    const at = (name: string): number => round(s[stance.classes.indexOf(name)] ?? 0, 4);
    result.stance = { challenge: at("challenge"), endorse: at("endorse"), neutral: at("neutral") };
  }
  return result;
}

const TEXTS = [
  "she's a right s l a g that one",
  "send pics 🍆 😂😂 you b*tch",
  "ѕlаg ναgιnα ｂｉｔｃｈ 𝐛𝐢𝐭𝐜𝐡 Café",
  "morning all, briefing at 10 in the parade room",
  "the the the the slag slag slag the",
  "who's on tomorrow?!! matt2 +1 #metoo @dave @ss &amp; &#128514;",
  "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
  "x",
  "😂",
  "a b c d e f g h i j",
  "word ".repeat(600),
  "日本語 العربية",
];

/** A random message model (categories in a shuffled order) and stance model; `biasShift` moves the message biases. */
function randomModels(seed: number, biasShift = 0): FloatModels {
  const m = randomModel(
    seed,
    ["threat", "sexual", "racism", "derogatory", "misogyny", "homophobia"],
    12,
    biasShift,
  );
  const s = randomModel(seed + 100, ["neutral", "challenge", "endorse"], 10);
  return {
    message: m.model,
    messageHeader: m.header,
    stance: s.model,
    stanceHeader: { ...s.header, kind: "softmax" },
  };
}

describe("optimised scoring equals the straightforward computation", () => {
  it.each([1, 2, 3])("random models, seed %i", (seed) => {
    const models = randomModels(seed);
    const core = createTextClassifierCore(models);
    let withReasons = 0;
    for (const [i, text] of TEXTS.entries()) {
      for (const replyTo of [undefined, TEXTS[(i + 1) % TEXTS.length] ?? "", ""]) {
        const input: ClassifyInput = replyTo === undefined ? { id: i, text } : { id: i, text, replyTo };
        const got = core.classify(input);
        expect(got).toEqual(reference(models, input));
        if ("reasons" in got && got.reasons.length > 0) withReasons++;
      }
    }
    expect(withReasons).toBeGreaterThan(10);
  });
});

describe("replies whose message explains no category", () => {
  // Random models explain nearly every message; strongly negative biases keep every category below
  // the reasons floor, so the reply's tokens are built for its stance alone (on the memoised
  // non-ASCII path too) and must still give the reference's stance.
  it.each([6, 7])("random models with biases near -20, seed %i", (seed) => {
    const models = randomModels(seed, -20);
    const core = createTextClassifierCore(models);
    let stanceWithoutReasons = 0;
    for (const [i, text] of TEXTS.entries()) {
      for (const replyTo of [TEXTS[(i + 5) % TEXTS.length] ?? "", "ѕlаg Café 😂", ""]) {
        const input: ClassifyInput = { id: i, text, replyTo };
        const got = core.classify(input);
        expect(got).toEqual(reference(models, input));
        if ("reasons" in got && got.reasons.length === 0 && got.stance !== undefined) stanceWithoutReasons++;
      }
    }
    expect(stanceWithoutReasons).toBeGreaterThan(20);
  });
});

describe("int8 codes: summed per token from the memo, as the reference sums them", () => {
  /** A random model through the shipped file format: int8 codes and per-class scales. */
  function viaInt8(m: { model: LinearModel; header: ModelHeader }): {
    float: LinearModel;
    int8: ReturnType<typeof decodeQuantized>;
    header: ModelHeader;
  } {
    const { bytes, scales } = quantize(m.model);
    const header = { ...m.header, scales };
    return { float: dequantize(header, bytes), int8: decodeQuantized(header, bytes), header };
  }

  function int8Models(seed: number): { int8: FloatModels; float: FloatModels } {
    const m = viaInt8(
      randomModel(seed, ["threat", "sexual", "racism", "derogatory", "misogyny", "homophobia"], 12),
    );
    const s = viaInt8(randomModel(seed + 100, ["neutral", "challenge", "endorse"], 10));
    const stanceHeader: ModelHeader = { ...s.header, kind: "softmax" };
    return {
      int8: { message: m.int8, messageHeader: m.header, stance: s.int8, stanceHeader },
      float: { message: m.float, messageHeader: m.header, stance: s.float, stanceHeader },
    };
  }

  const inputs = (i: number, text: string): ClassifyInput[] => [
    { id: i, text },
    { id: i, text, replyTo: TEXTS[(i + 3) % TEXTS.length] ?? "" },
    { id: i, text, replyTo: "" },
  ];

  it.each([4, 5])("random models, seed %i", (seed) => {
    const { int8 } = int8Models(seed);
    const core = createTextClassifierCore(int8);
    for (const [i, text] of TEXTS.entries()) {
      for (const input of inputs(i, text)) expect(core.classify(input)).toEqual(reference(int8, input));
    }
  });

  it("two models in turn: the memo's sums follow the model asking", () => {
    // Both have the same feature configuration, so they share one memo; each switch rebinds it.
    const a = int8Models(8).int8;
    const b = int8Models(9).int8;
    const coreA = createTextClassifierCore(a);
    const coreB = createTextClassifierCore(b);
    for (const [i, text] of TEXTS.entries()) {
      for (const input of inputs(i, text)) {
        expect(coreA.classify(input)).toEqual(reference(a, input));
        expect(coreB.classify(input)).toEqual(reference(b, input));
      }
    }
  });

  it("the float weights the codes decode to give the same probabilities, to float32 rounding", () => {
    const { int8, float } = int8Models(10);
    const coreInt8 = createTextClassifierCore(int8);
    const coreFloat = createTextClassifierCore(float);
    let compared = 0;
    for (const [i, text] of TEXTS.entries()) {
      for (const input of inputs(i, text)) {
        const x = coreInt8.score(input);
        if (typeof x === "string") continue;
        const p = Array.from(x.probs);
        const st = Array.from(x.stance);
        const y = coreFloat.score(input);
        if (typeof y === "string") throw new Error(y);
        p.forEach((v, j) => expect(v).toBeCloseTo(y.probs[j] ?? NaN, 6));
        st.forEach((v, j) => expect(v).toBeCloseTo(y.stance[j] ?? NaN, 6));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});

describe("a flag that no word explains", () => {
  it("gets one reason naming the category's base rate; zero weights: the bias is its weight", () => {
    // Zero weights and high biases: every category is over its threshold and no word adds anything.
    const models = randomModels(11, 6);
    const message = models.message as LinearModel;
    message.weights.fill(0);
    const core = createTextClassifierCore(models);
    const got = core.classify({ id: 1, text: "hi" });
    if (!("scores" in got)) throw new Error(got.error);
    expect(got.flagged).toHaveLength(TEXT_CATEGORIES.length);
    expect(got.reasons).toEqual(
      TEXT_CATEGORIES.map((category) => ({
        category,
        evidence: BASE_RATE_EVIDENCE,
        weight: round(message.bias[message.classes.indexOf(category)] ?? 0, 3),
      })),
    );
    expect(got).toEqual(reference(models, { id: 1, text: "hi" }));
  });

  it("even below the reasons floor; its weight is the bias plus the length feature", () => {
    // Every weight -0.5 (no word adds anything), very low biases (scores far under 0.05) and
    // thresholds of 0 (so every category is flagged all the same).
    const models = randomModels(12, -6);
    const message = models.message as LinearModel;
    message.weights.fill(-0.5);
    models.messageHeader.thresholds = message.classes.map(() => 0);
    const core = createTextClassifierCore(models);
    const got = core.classify({ id: 2, text: "hi" });
    if (!("scores" in got)) throw new Error(got.error);
    expect(Math.max(...Object.values(got.scores))).toBeLessThan(0.05);
    expect(got.reasons).toEqual(
      TEXT_CATEGORIES.map((category) => ({
        category,
        evidence: BASE_RATE_EVIDENCE,
        // The one-word length flag is the only feature without a text span.
        weight: round((message.bias[message.classes.indexOf(category)] ?? 0) - 0.5, 3),
      })),
    );
    expect(got).toEqual(reference(models, { id: 2, text: "hi" }));
  });
});
