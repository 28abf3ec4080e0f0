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
import { createFeatureBuffer, evidenceText, extractNgramFeatures, type FeatureBuffer } from "./features.ts";
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

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
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

  /** Logits and per-evidence contributions in one pass over the features. */
  function fusedScore(): number {
    const nEv = Math.max(1, 2 * buf.tokens.length);
    if (contrib.length < nEv * k) contrib = new Float64Array(nEv * k * 2);
    contrib.fill(0, 0, nEv * k);
    for (let c = 0; c < k; c++) logits[c] = message.bias[c] ?? 0;
    const scale = buf.nScaled > 0 ? 1 / Math.sqrt(buf.nScaled) : 0;
    const w = message.weights;
    for (let i = 0; i < buf.n; i++) {
      const v = i < buf.nScaled ? scale : 1;
      const base = (buf.idx[i] ?? 0) * k;
      const ev = buf.ev[i] ?? -1;
      for (let c = 0; c < k; c++) {
        const x = v * (w[base + c] ?? 0);
        logits[c] = (logits[c] ?? 0) + x;
        if (ev >= 0) contrib[ev * k + c] = (contrib[ev * k + c] ?? 0) + x;
      }
    }
    return nEv;
  }

  function reasonsFor(c: number, nEv: number, limit: number, category: TextCategory, out: Reason[]): void {
    const top: number[] = [];
    for (let e = 0; e < nEv; e++) {
      const x = contrib[e * k + c] ?? 0;
      if (x <= 0) continue;
      let pos = top.length;
      while (pos > 0 && (contrib[(top[pos - 1] ?? 0) * k + c] ?? 0) < x) pos--;
      if (pos < limit) {
        top.splice(pos, 0, e);
        if (top.length > limit) top.pop();
      }
    }
    for (const e of top) {
      out.push({ category, evidence: evidenceText(buf, e), weight: round(contrib[e * k + c] ?? 0, 3) });
    }
  }

  function maxScore(text: string): number {
    extractNgramFeatures(normalizeTokens(text), message.cfg, buf);
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
    extractNgramFeatures(tokens, message.cfg, buf);
    const nEv = fusedScore();
    const scores = { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 };
    const flagged: TextCategory[] = [];
    const reasons: Reason[] = [];
    for (let j = 0; j < TEXT_CATEGORIES.length; j++) {
      const cat = TEXT_CATEGORIES[j] ?? "sexual";
      const c = order[j] ?? 0;
      const p = calibrated(c, logits[c] ?? 0);
      scores[cat] = round(p, 4);
      const isFlagged = p >= (thresholds[c] ?? 0.5);
      if (isFlagged) flagged.push(cat);
      if (p >= REASON_FLOOR) reasonsFor(c, nEv, isFlagged ? REASONS_FLAGGED : REASONS_OTHER, cat, reasons);
    }
    const result: ClassifyResult = { id, scores, flagged, reasons };
    if (input.replyTo !== undefined) {
      const parentTokens = normalizeTokens(input.replyTo);
      const parentTox = maxScore(input.replyTo);
      extractStanceFeatures(tokens, parentTokens, parentTox, stance.cfg, stanceBuf);
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
