/**
 * @module text-classifier
 * Scores one message (and, for a reply, its stance) with the loaded models: normalise, hash features,
 * one fused pass that computes every category's logit and each word's contribution to it, Platt
 * calibration, per-category thresholds, and the top contributing words as reasons.
 */
import {
  TEXT_CATEGORIES,
  type ClassifyInput,
  type ClassifyResult,
  type Reason,
  type TextCategory,
} from "../../contract/detection.ts";
import {
  createFeatureBuffer,
  evidenceText,
  extractMessageFeatures,
  featureValue,
  type FeatureBuffer,
} from "./features.ts";
import { scoreLogits, sigmoid, softmaxInPlace, type LinearModel, type ModelHeader } from "./linear-model.ts";
import { normalizeTokens } from "./normalize.ts";
import { extractStanceFeatures } from "./stance-features.ts";

/** Texts longer than this (in UTF-16 units) are refused per item rather than scored. */
export const MAX_TEXT_CHARS = 100_000;
/** Categories scoring at least this get reasons; below it there is nothing worth explaining. */
export const REASON_FLOOR = 0.05;
/** Reasons per category: more for a flagged category, where an investigator will read them. */
const REASONS_FLAGGED = 5;
const REASONS_OTHER = 2;
/** Contributions smaller than this (in logit units) are noise, not evidence. */
const MIN_REASON_WEIGHT = 0.05;

export interface LoadedTextModels {
  message: LinearModel;
  messageHeader: ModelHeader;
  stance: LinearModel;
  stanceHeader: ModelHeader;
}

/** A per-item failure: the input's id and why it was not scored. */
export interface ClassifyFailure {
  id: string | number;
  error: string;
}

export interface TextClassifierCore {
  classify(input: ClassifyInput): ClassifyResult | ClassifyFailure;
  /** Highest calibrated category score of a text (0-1); the parent toxicity the stance model uses. */
  maxScore(text: string): number;
}

function round(x: number, digits: 3 | 4): number {
  const f = digits === 4 ? 10000 : 1000;
  return Math.round(x * f) / f;
}

/** Strongest first; ties by key so the order never depends on the Map's insertion order. */
function byWeightThenKey(p: [string | number, number], q: [string | number, number]): number {
  return q[1] - p[1] || (String(p[0]) < String(q[0]) ? -1 : 1);
}

/** Builds a classifier over loaded models. Holds reusable buffers: one instance per thread. */
export function createTextClassifierCore(models: LoadedTextModels): TextClassifierCore {
  const { message, messageHeader, stance } = models;
  const k = message.classes.length;
  const order = TEXT_CATEGORIES.map((c) => message.classes.indexOf(c));
  if (order.some((i) => i < 0)) throw new Error("message model lacks a text category");
  const platt = messageHeader.platt ?? [];
  const thresholds = messageHeader.thresholds ?? [];
  const buf: FeatureBuffer = createFeatureBuffer();
  const stanceBuf: FeatureBuffer = createFeatureBuffer();
  const logits = new Float64Array(k);
  const stanceOut = new Float64Array(stance.classes.length);
  let contrib = new Float64Array(4096);

  function calibrated(c: number, z: number): number {
    const p = platt[c];
    return p ? sigmoid(p.a * z + p.b) : sigmoid(z);
  }

  /**
   * Each word's (and word pair's) contribution to category `c`'s logit, then the `limit` largest.
   * Run only for categories worth explaining, after scoring, so clean messages pay nothing for it.
   */
  function reasonsFor(c: number, limit: number, category: TextCategory, out: Reason[]): void {
    const nEv = Math.max(1, 2 * buf.tokens.length);
    if (contrib.length < nEv) contrib = new Float64Array(nEv * 2);
    contrib.fill(0, 0, nEv);
    const w = message.weights;
    for (let i = 0; i < buf.n; i++) {
      const ev = buf.ev[i] ?? -1;
      if (ev < 0) continue;
      const v = featureValue(i, buf.nWord, buf.nScaled);
      contrib[ev] = (contrib[ev] ?? 0) + v * (w[(buf.idx[i] ?? 0) * k + c] ?? 0);
    }
    // The same word twice is one piece of evidence: sum its contributions by word. Words key by the
    // token string (no allocation); word pairs by position, their text built only if reported.
    const nTok = buf.tokens.length;
    const byKey = new Map<string | number, number>();
    for (let e = 0; e < nEv; e++) {
      const x = contrib[e] ?? 0;
      if (x === 0) continue;
      const key = e < nTok ? (buf.tokens[e] ?? "") : e;
      byKey.set(key, (byKey.get(key) ?? 0) + x);
    }
    const top: Array<[string | number, number]> = [];
    for (const kv of byKey) if (kv[1] >= MIN_REASON_WEIGHT) top.push(kv);
    top.sort(byWeightThenKey);
    for (let i = 0; i < top.length && i < limit; i++) {
      const [key, x] = top[i] ?? ["", 0];
      out.push({
        category,
        evidence: typeof key === "string" ? key : evidenceText(buf, key),
        weight: round(x, 3),
      });
    }
  }

  function maxScore(text: string): number {
    extractMessageFeatures(normalizeTokens(text), message.cfg, buf);
    scoreLogits(message, buf, logits);
    let best = 0;
    for (let c = 0; c < k; c++) best = Math.max(best, calibrated(c, logits[c] ?? 0));
    return best;
  }

  function classify(input: ClassifyInput): ClassifyResult | ClassifyFailure {
    const { id, text } = input;
    if (text.trim().length === 0) return { id, error: "empty text" };
    if (text.length > MAX_TEXT_CHARS) return { id, error: `text longer than ${MAX_TEXT_CHARS} characters` };
    if (input.replyTo !== undefined && input.replyTo.length > MAX_TEXT_CHARS) {
      return { id, error: `replyTo longer than ${MAX_TEXT_CHARS} characters` };
    }
    const tokens = normalizeTokens(text);
    extractMessageFeatures(tokens, message.cfg, buf);
    scoreLogits(message, buf, logits);
    const scores = { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 };
    const flagged: TextCategory[] = [];
    const reasons: Reason[] = [];
    let replyTox = 0;
    for (let j = 0; j < TEXT_CATEGORIES.length; j++) {
      const cat = TEXT_CATEGORIES[j] ?? "sexual";
      const c = order[j] ?? 0;
      const p = calibrated(c, logits[c] ?? 0);
      scores[cat] = round(p, 4);
      replyTox = Math.max(replyTox, p);
      const isFlagged = p >= (thresholds[c] ?? 0.5);
      if (isFlagged) flagged.push(cat);
      if (p >= REASON_FLOOR) reasonsFor(c, isFlagged ? REASONS_FLAGGED : REASONS_OTHER, cat, reasons);
    }
    const result: ClassifyResult = { id, scores, flagged, reasons };
    if (input.replyTo !== undefined) {
      const parentTokens = normalizeTokens(input.replyTo);
      const parentTox = maxScore(input.replyTo);
      extractStanceFeatures(tokens, parentTokens, parentTox, replyTox, stance.cfg, stanceBuf);
      scoreLogits(stance, stanceBuf, stanceOut);
      softmaxInPlace(stanceOut, stance.classes.length);
      const s = { challenge: 0, endorse: 0, neutral: 0 };
      stance.classes.forEach((name, c) => {
        if (name === "challenge" || name === "endorse" || name === "neutral") {
          s[name] = round(stanceOut[c] ?? 0, 4);
        }
      });
      result.stance = s;
    }
    return result;
  }

  return { classify, maxScore };
}
