/**
 * @module text-classifier
 * Scores one message (and, for a reply, its stance) with the loaded models: every category's logit
 * (for int8 models from code sums taken straight from the text, features.ts sumTextCodes; otherwise
 * from hashed features), Platt calibration, per-category thresholds, and only for a message with a
 * category worth explaining, its features and each word's contribution, the top words as reasons.
 */
import {
  BASE_RATE_EVIDENCE,
  STANCES,
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
  extractTextFeatures,
  sumTextCodes,
  takeTextTokens,
  type CodeWeights,
  type FeatureBuffer,
} from "./features.ts";
import {
  logitsFromCodeSums,
  scoreInferenceLogits,
  sigmoid,
  softmaxInPlace,
  type InferenceModel,
  type ModelHeader,
} from "./linear-model.ts";
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
  message: InferenceModel;
  messageHeader: ModelHeader;
  stance: InferenceModel;
  stanceHeader: ModelHeader;
}

/** A per-item failure: the input's id and why it was not scored. */
export interface ClassifyFailure {
  id: string | number;
  error: string;
}

/**
 * One message's scores, in a reused structure (valid until the next call): what the JSON-lines path
 * serialises directly, without building result objects. Indices follow TEXT_CATEGORIES and STANCES.
 */
export interface ScoredMessage {
  /** Calibrated probability per category, unrounded. */
  probs: Float64Array;
  flagged: Uint8Array;
  nReasons: number;
  /** Per reason: index into TEXT_CATEGORIES, the evidence text, the weight rounded to 3 decimals. */
  reasonCategory: Int32Array;
  reasonEvidence: string[];
  reasonWeight: Float64Array;
  hasStance: boolean;
  /** Stance probability per STANCES entry, unrounded. */
  stance: Float64Array;
}

export interface TextClassifierCore {
  classify(input: ClassifyInput): ClassifyResult | ClassifyFailure;
  /** Scores `input` into a reused {@link ScoredMessage}, or returns why it cannot be scored. */
  score(input: ClassifyInput): ScoredMessage | string;
  /** Highest calibrated category score of a text (0-1); the parent toxicity the stance model uses. */
  maxScore(text: string): number;
}

/** Rounds to 3 or 4 decimals (scores to 4, reason weights to 3). */
export function round(x: number, digits: 3 | 4): number {
  const f = digits === 4 ? 10000 : 1000;
  return Math.round(x * f) / f;
}

/** Strongest first; ties by key (as text) so the order never depends on the evidence's position. */
function before(wa: number, ka: string, wb: number, kb: string): boolean {
  return wb - wa < 0 || (wb - wa === 0 && ka < kb);
}

const MAX_REASONS = TEXT_CATEGORIES.length * REASONS_FLAGGED;

/** Builds a classifier over loaded models. Holds reusable buffers: one instance per thread. */
export function createTextClassifierCore(models: LoadedTextModels): TextClassifierCore {
  const { message, messageHeader, stance } = models;
  const k = message.classes.length;
  const order = TEXT_CATEGORIES.map((c) => message.classes.indexOf(c));
  if (order.some((i) => i < 0)) throw new Error("message model lacks a text category");
  const stanceIndex = STANCES.map((s) => stance.classes.indexOf(s));
  const platt = messageHeader.platt ?? [];
  const thresholds = messageHeader.thresholds ?? [];
  const buf: FeatureBuffer = createFeatureBuffer();
  const stanceBuf: FeatureBuffer = createFeatureBuffer();
  const logits = new Float64Array(k);
  /** The int8 message model and its codes as the memo sums them (undefined for float weights). */
  const quantised = "q" in message ? message : undefined;
  const codeWeights: CodeWeights | undefined = quantised ? { q: quantised.q, k } : undefined;
  const codeSums = new Int32Array(2 * k);
  const stanceOut = new Float64Array(stance.classes.length);
  const out: ScoredMessage = {
    probs: new Float64Array(TEXT_CATEGORIES.length),
    flagged: new Uint8Array(TEXT_CATEGORIES.length),
    nReasons: 0,
    reasonCategory: new Int32Array(MAX_REASONS),
    reasonEvidence: new Array<string>(MAX_REASONS).fill(""),
    reasonWeight: new Float64Array(MAX_REASONS),
    hasStance: false,
    stance: new Float64Array(STANCES.length),
  };
  /** contrib[ev]: evidence span ev's contribution to the logit of the class being explained. */
  let contrib = new Float64Array(4096);
  /** Per-evidence sums for one class, words summed into their first occurrence. */
  let acc = new Float64Array(4096);
  let firstOcc = new Int32Array(2048);
  const topKey: string[] = new Array<string>(REASONS_FLAGGED).fill("");
  const topEv = new Int32Array(REASONS_FLAGGED);
  const topW = new Float64Array(REASONS_FLAGGED);

  function calibrated(c: number, z: number): number {
    const p = platt[c];
    return p ? sigmoid(p.a * z + p.b) : sigmoid(z);
  }

  /**
   * Every evidence span's contribution to class `c`'s logit, in one pass over the features. Only the
   * classes that get reasons are computed (usually one or two of six); each class's sums are added
   * in feature order, exactly as when all classes were computed together. Returns the rest of the
   * logit: the bias and the features with no text span (the message-length flag).
   */
  function contributions(c: number, nEv: number): number {
    if (contrib.length < nEv) contrib = new Float64Array(nEv * 2);
    contrib.fill(0, 0, nEv);
    const n = buf.n;
    const nScaled = buf.nScaled;
    const scale = nScaled > 0 ? 1 / Math.sqrt(nScaled) : 0;
    const idx = buf.idx;
    const evs = buf.ev;
    let spanless = message.bias[c] as number;
    if ("q" in message) {
      const q = message.q;
      const w = message.scales[c] as number;
      for (let i = 0; i < n; i++) {
        const ev = evs[i] as number;
        const v = i < nScaled ? scale : 1;
        const x = (q[(idx[i] as number) * k + c] as number) * w;
        if (ev < 0) spanless += v * x;
        else contrib[ev] = (contrib[ev] as number) + v * x;
      }
    } else {
      const w = message.weights;
      for (let i = 0; i < n; i++) {
        const ev = evs[i] as number;
        const v = i < nScaled ? scale : 1;
        const x = w[(idx[i] as number) * k + c] as number;
        if (ev < 0) spanless += v * x;
        else contrib[ev] = (contrib[ev] as number) + v * x;
      }
    }
    return spanless;
  }

  /** firstOcc[t]: the first position holding the same token as position t. */
  function findFirstOccurrences(tokens: string[]): void {
    const n = tokens.length;
    if (firstOcc.length < n) firstOcc = new Int32Array(n * 2);
    if (n <= 48) {
      for (let t = 0; t < n; t++) {
        const w = tokens[t];
        let f = t;
        for (let u = 0; u < t; u++) {
          if (tokens[u] === w) {
            f = u;
            break;
          }
        }
        firstOcc[t] = f;
      }
      return;
    }
    const seen = new Map<string, number>();
    for (let t = 0; t < n; t++) {
      const w = tokens[t] ?? "";
      const f = seen.get(w);
      if (f === undefined) seen.set(w, t);
      firstOcc[t] = f ?? t;
    }
  }

  /**
   * The words (and word pairs) contributing most to class `c` (REASONS_FLAGGED of them if it is
   * flagged, else REASONS_OTHER), appended to `out`'s reasons. The same word twice is one piece of
   * evidence: its contributions are summed by word. A flagged class always gets a reason: when no
   * word adds MIN_REASON_WEIGHT, BASE_RATE_EVIDENCE with the logit that no word accounts for.
   */
  function reasonsFor(c: number, flagged: boolean, j: number, nEv: number): void {
    const limit = flagged ? REASONS_FLAGGED : REASONS_OTHER;
    const tokens = buf.tokens;
    const nTok = tokens.length;
    if (acc.length < nEv) acc = new Float64Array(nEv * 2);
    acc.fill(0, 0, nEv);
    const spanless = contributions(c, nEv);
    for (let e = 0; e < nEv; e++) {
      const x = contrib[e] as number;
      if (x === 0) continue;
      const key = e < nTok ? (firstOcc[e] as number) : e;
      acc[key] = (acc[key] as number) + x;
    }
    let nTop = 0;
    for (let e = 0; e < nEv; e++) {
      const x = acc[e] as number;
      if (!(x >= MIN_REASON_WEIGHT)) continue;
      const key = e < nTok ? (tokens[e] ?? "") : String(e);
      // Insertion into the sorted top list; entries past `limit` fall off.
      let pos = nTop;
      while (pos > 0 && before(x, key, topW[pos - 1] as number, topKey[pos - 1] as string)) pos--;
      if (pos >= limit) continue;
      const end = Math.min(nTop, limit - 1);
      for (let q = end; q > pos; q--) {
        topW[q] = topW[q - 1] as number;
        topKey[q] = topKey[q - 1] as string;
        topEv[q] = topEv[q - 1] as number;
      }
      topW[pos] = x;
      topKey[pos] = key;
      topEv[pos] = e;
      if (nTop < limit) nTop++;
    }
    for (let q = 0; q < nTop; q++) {
      const e = topEv[q] as number;
      const r = out.nReasons++;
      out.reasonCategory[r] = j;
      out.reasonEvidence[r] = e < nTok ? (topKey[q] as string) : evidenceText(buf, e);
      out.reasonWeight[r] = round(topW[q] as number, 3);
    }
    if (flagged && nTop === 0) {
      const r = out.nReasons++;
      out.reasonCategory[r] = j;
      out.reasonEvidence[r] = BASE_RATE_EVIDENCE;
      out.reasonWeight[r] = round(spanless, 3);
    }
  }

  /**
   * The tokens of the message last put into `buf` by messageFeatures(), all of them (`buf.tokens`
   * holds the first maxTokens); undefined until built, when the memoised path filled `buf`.
   */
  let msgTokens: string[] | undefined;

  /** Normalises `text` and fills `buf` with its message features (the tokens only when asked). */
  function messageFeatures(text: string): void {
    if (extractTextFeatures(text, message.cfg, buf) >= 0) {
      msgTokens = undefined;
      return;
    }
    msgTokens = normalizeTokens(text);
    extractMessageFeatures(msgTokens, message.cfg, buf);
  }

  /** The tokens of the message in `buf` (before the next messageFeatures()); sets `buf.tokens`. */
  function messageTokens(): string[] {
    msgTokens ??= takeTextTokens(buf);
    return msgTokens;
  }

  /**
   * The message model's logits for `text` into `logits`; true if `buf` now holds its features. Int8
   * models take code sums straight from the text when they can (sumTextCodes: the same logits,
   * without filling `buf`, which only reasons need). Either way messageTokens() then answers for `text`.
   */
  function scoreText(text: string): boolean {
    if (quantised !== undefined && codeWeights !== undefined) {
      const nScaled = sumTextCodes(text, message.cfg, codeWeights, codeSums);
      if (nScaled >= 0) {
        msgTokens = undefined;
        logitsFromCodeSums(quantised, codeSums, nScaled, logits);
        return false;
      }
    }
    messageFeatures(text);
    scoreInferenceLogits(message, buf, logits);
    return true;
  }

  /** Highest calibrated score of the message whose logits are in `logits`. */
  function maxScoreOfLogits(): number {
    let best = 0;
    for (let c = 0; c < k; c++) best = Math.max(best, calibrated(c, logits[c] as number));
    return best;
  }

  function score(input: ClassifyInput): ScoredMessage | string {
    const { text } = input;
    if (text.trim().length === 0) return "empty text";
    if (text.length > MAX_TEXT_CHARS) return `text longer than ${MAX_TEXT_CHARS} characters`;
    if (input.replyTo !== undefined && input.replyTo.length > MAX_TEXT_CHARS) {
      return `replyTo longer than ${MAX_TEXT_CHARS} characters`;
    }
    const filled = scoreText(text);
    out.nReasons = 0;
    let replyTox = 0;
    let explain = false;
    for (let j = 0; j < TEXT_CATEGORIES.length; j++) {
      const c = order[j] as number;
      const p = calibrated(c, logits[c] as number);
      out.probs[j] = p;
      replyTox = Math.max(replyTox, p);
      out.flagged[j] = p >= (thresholds[c] ?? 0.5) ? 1 : 0;
      if (p >= REASON_FLOOR || out.flagged[j] === 1) explain = true;
    }
    // Reasons only for categories worth explaining, so clean messages pay nothing for them (and their
    // features are extracted only then). The reply's tokens are needed for its stance, after the
    // parent has taken `buf`.
    if (explain && !filled) messageFeatures(text);
    const tokens = explain || input.replyTo !== undefined ? messageTokens() : undefined;
    if (explain) {
      const nEv = Math.max(1, 2 * buf.tokens.length);
      findFirstOccurrences(buf.tokens);
      for (let j = 0; j < TEXT_CATEGORIES.length; j++) {
        const flagged = out.flagged[j] === 1;
        if ((out.probs[j] as number) < REASON_FLOOR && !flagged) continue;
        reasonsFor(order[j] as number, flagged, j, nEv);
      }
    }
    out.hasStance = input.replyTo !== undefined;
    if (input.replyTo !== undefined && tokens !== undefined) {
      scoreText(input.replyTo);
      const parentTokens = messageTokens();
      const parentTox = maxScoreOfLogits();
      extractStanceFeatures(tokens, parentTokens, parentTox, replyTox, stance.cfg, stanceBuf);
      scoreInferenceLogits(stance, stanceBuf, stanceOut);
      softmaxInPlace(stanceOut, stance.classes.length);
      for (let s = 0; s < STANCES.length; s++) {
        const c = stanceIndex[s] as number;
        out.stance[s] = c >= 0 ? (stanceOut[c] as number) : 0;
      }
    }
    return out;
  }

  function classify(input: ClassifyInput): ClassifyResult | ClassifyFailure {
    const s = score(input);
    if (typeof s === "string") return { id: input.id, error: s };
    const p = s.probs;
    const scores = {
      sexual: round(p[0] as number, 4),
      misogyny: round(p[1] as number, 4),
      racism: round(p[2] as number, 4),
      homophobia: round(p[3] as number, 4),
      derogatory: round(p[4] as number, 4),
      threat: round(p[5] as number, 4),
    };
    const flagged = TEXT_CATEGORIES.filter((_, j) => s.flagged[j] === 1);
    const reasons: Reason[] = [];
    for (let r = 0; r < s.nReasons; r++) {
      reasons.push({
        category: TEXT_CATEGORIES[s.reasonCategory[r] as number] as TextCategory,
        evidence: s.reasonEvidence[r] as string,
        weight: s.reasonWeight[r] as number,
      });
    }
    const result: ClassifyResult = { id: input.id, scores, flagged, reasons };
    if (s.hasStance) {
      result.stance = {
        challenge: round(s.stance[0] as number, 4),
        endorse: round(s.stance[1] as number, 4),
        neutral: round(s.stance[2] as number, 4),
      };
    }
    return result;
  }

  return {
    classify,
    score,
    maxScore: (text) => {
      scoreText(text);
      return maxScoreOfLogits();
    },
  };
}
