/**
 * The memoised path from text straight to message features against the general one
 * (normalizeTokens, then extractMessageFeatures): the same tokens and the same features in the same
 * order, or no answer (then the classifier takes the general path); and the int8 code sums taken
 * straight from the text (sumTextCodes), against summing the codes of the general path's features.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../tests/helpers/random.ts";
import {
  createFeatureBuffer,
  DEFAULT_FEATURE_CONFIG,
  extractMessageFeatures,
  extractMessageFeaturesFromText,
  extractTextFeatures,
  sumTextCodes,
  takeTextTokens,
  type CodeWeights,
  type FeatureBuffer,
  type FeatureConfig,
} from "./features.ts";
import { normalizeTokens } from "./normalize.ts";

const TEXTS = [
  "Morning all, briefing moved to 10 in the PARADE room",
  "she's a right slag that one lol",
  "she's a right s l a g that one",
  "a b then c d e f",
  "I  said\tno\r\nway!!",
  "who's on tomorrow?!! matt2 +1 #metoo @dave @ss sl@g b*tch f***ing b.i.t.c.h",
  "the the the slag slag the",
  "Biiiitch pleeeease ??",
  "x",
  "...",
  "   leading and trailing   ",
  "supercalifragilisticexpialidociouspneumonoultramicroscopic is long",
  "fish &amp; chips",
  "send pics 🍆 now",
  "café au lait",
  "word ".repeat(450),
  "one two ".repeat(150),
  // Chunks that are not plain ASCII: normalised one by one, which must give what the whole text gives.
  "FISH &AMP; chips &amp; Peas &#32;split&#x20; &#128514;lol",
  "ΟΔΟΣ ΣΑΣ σας Σ. ΣΣ όχι",
  "ѕlаg ＳＬＡＧ 𝐬𝐥𝐚𝐠 s\u200blag s\u00adlag",
  "a\u00a0b\u00a0c\u00a0d nbsp\u2028line\u000bvt\u000cff",
  "e \u0301 \u0301e cafe\u0301 İstanbul",
  "🏳️‍🌈 👍🏽👍 🍆🍆🍆 😂lol lol😂 🙃🙃 ⚠️ ❤",
  "\ud800 lone \udc00 surrogates 😂\ud83d",
  // Single letters joined across a chunk's start ("f a" + "g!") and inside one chunk (NBSP between
  // them): each takes its own branch of the memo's run check.
  "f a g!",
  "ok\u00a0s\u00a0l\u00a0a\u00a0g\u00a0ok",
];

function features(buf: FeatureBuffer): { idx: number[]; ev: number[]; nWord: number; nScaled: number } {
  return {
    idx: Array.from(buf.idx.subarray(0, buf.n)),
    ev: Array.from(buf.ev.subarray(0, buf.n)),
    nWord: buf.nWord,
    nScaled: buf.nScaled,
  };
}

/** Random int8 codes for six classes, one set per bucket count. */
const codeWeights = new Map<number, CodeWeights>();
function randomCodes(bits: number): CodeWeights {
  let w = codeWeights.get(bits);
  if (w === undefined) {
    const rnd = mulberry32(bits);
    const q = new Int8Array(6 * 2 ** bits);
    for (let i = 0; i < q.length; i++) q[i] = Math.floor(rnd() * 255) - 127;
    w = { q, k: 6 };
    codeWeights.set(bits, w);
  }
  return w;
}

/** Per class, the codes of the n-gram features, then of the flags, summed over `buf`'s features. */
function codeSumsOf(buf: FeatureBuffer, w: CodeWeights): number[] {
  const sums = new Array<number>(2 * w.k).fill(0);
  for (let i = 0; i < buf.n; i++) {
    for (let c = 0; c < w.k; c++) {
      const j = (i < buf.nScaled ? 0 : w.k) + c;
      sums[j] = (sums[j] ?? 0) + (w.q[(buf.idx[i] ?? 0) * w.k + c] ?? 0);
    }
  }
  return sums;
}

/**
 * Checks one text; returns whether the memoised path answered. The code sums may answer where the
 * features did not (the memo, full, was cleared by the first), and are checked whenever they answer.
 */
function check(text: string, cfg: FeatureConfig): boolean {
  const fastBuf = createFeatureBuffer(8);
  const tokens = extractMessageFeaturesFromText(text, cfg, fastBuf);
  const w = randomCodes(cfg.bits);
  const sums = new Int32Array(2 * w.k);
  const nScaled = sumTextCodes(text, cfg, w, sums);
  const refBuf = createFeatureBuffer(8);
  const refTokens = normalizeTokens(text);
  extractMessageFeatures(refTokens, cfg, refBuf);
  if (nScaled >= 0) {
    expect(nScaled).toBe(refBuf.nScaled);
    expect(Array.from(sums)).toEqual(codeSumsOf(refBuf, w));
    expect(takeTextTokens(createFeatureBuffer(8))).toEqual(refTokens);
  }
  if (tokens === undefined) return false;
  expect(nScaled).toBeGreaterThanOrEqual(0);
  expect(tokens).toEqual(refTokens);
  expect(fastBuf.tokens).toEqual(refBuf.tokens);
  expect(features(fastBuf)).toEqual(features(refBuf));
  return true;
}

/** `n` words of `minLen` to `minLen + spread - 1` pieces each, from `pick`. */
function randomWords(
  rnd: () => number,
  n: number,
  minLen: number,
  spread: number,
  pick: () => string,
): string[] {
  const words: string[] = [];
  for (let j = 0; j < n; j++) {
    let w = "";
    const len = minLen + Math.floor(rnd() * spread);
    for (let c = 0; c < len; c++) w += pick();
    words.push(w);
  }
  return words;
}

describe("message features straight from the text", () => {
  const configs: FeatureConfig[] = [
    DEFAULT_FEATURE_CONFIG,
    { bits: 12, charMin: 2, charMax: 4, maxTokens: 300 },
  ];

  it.each(configs)("equal the general path's, or none (%o)", (cfg) => {
    const answered = TEXTS.filter((t) => check(t, cfg));
    // Without a run of single letters or an over-long chunk, the memoised path answers, for any
    // characters (entities, emoji, accents, look-alikes).
    for (const i of [0, 5, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23]) expect(answered).toContain(TEXTS[i]);
    // Joined letters (also when NBSP separates them), a long chunk, too many tokens: the general path.
    for (const i of [2, 3, 11, 15, 20, 25, 26]) expect(answered).not.toContain(TEXTS[i]);
  });

  it("stay equal when the memo fills up and is cleared", () => {
    const rnd = mulberry32(7);
    const letters = "abcdefghijklmnopqrstuvwxyzABC0123456789'!?.,*@";
    let answered = 0;
    const pick = (): string => letters[Math.floor(rnd() * letters.length)] ?? "";
    for (let i = 0; i < 9000; i++) {
      if (check(randomWords(rnd, 10, 2, 8, pick).join(" "), DEFAULT_FEATURE_CONFIG)) answered++;
    }
    // 90,000 mostly distinct chunks: the memo (65,536 entries) is cleared at least once.
    expect(answered).toBeGreaterThan(8500);
  });

  it("stay equal on chunks that are not plain ASCII, told apart by case where it matters", () => {
    const rnd = mulberry32(11);
    // "&AMP;" is not an entity but "&amp;" is; "Σ" lower-cases by its context; "İ" to two chars.
    const pieces = ["&amp;", "&AMP;", "&#32;", "&lt;", "Σ", "σ", "ς", "İ", "😂", "🍆", "👍🏽", "é", "\u0301"];
    const letters = "abcABC1@*'.!?";
    let answered = 0;
    const pick = (): string =>
      rnd() < 0.3
        ? (pieces[Math.floor(rnd() * pieces.length)] ?? "")
        : (letters[Math.floor(rnd() * letters.length)] ?? "");
    for (let i = 0; i < 3000; i++) {
      const words = randomWords(rnd, 8, 1, 5, pick);
      if (check(words.join(rnd() < 0.5 ? " " : "\t"), DEFAULT_FEATURE_CONFIG)) answered++;
    }
    expect(answered).toBeGreaterThan(2000);
  });

  it("never give an earlier message's tokens", () => {
    const cfg = DEFAULT_FEATURE_CONFIG;
    const buf = createFeatureBuffer(8);
    expect(extractTextFeatures("send pics now", cfg, buf)).toBe(3);
    expect(takeTextTokens(buf)).toEqual(["send", "pics", "now"]);
    // Answered, tokens not yet asked for: buf.tokens is empty, not the last message's.
    expect(extractTextFeatures("morning all", cfg, buf)).toBe(2);
    expect(buf.tokens).toEqual([]);
    expect(takeTextTokens(buf)).toEqual(["morning", "all"]);
    // Not answered (a run of single letters): no tokens, not the last message's.
    expect(extractTextFeatures("a s l a g", cfg, buf)).toBe(-1);
    expect(buf.tokens).toEqual([]);
    expect(takeTextTokens(buf)).toEqual([]);
  });
});
