/**
 * The memoised path from text straight to message features against the general one
 * (normalizeTokens, then extractMessageFeatures): the same tokens and the same features in the same
 * order, or no answer (then the classifier takes the general path).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../tests/helpers/random.ts";
import {
  createFeatureBuffer,
  DEFAULT_FEATURE_CONFIG,
  extractMessageFeatures,
  extractMessageFeaturesFromText,
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
];

function features(buf: FeatureBuffer): { idx: number[]; ev: number[]; nWord: number; nScaled: number } {
  return {
    idx: Array.from(buf.idx.subarray(0, buf.n)),
    ev: Array.from(buf.ev.subarray(0, buf.n)),
    nWord: buf.nWord,
    nScaled: buf.nScaled,
  };
}

/** Checks one text; returns whether the memoised path answered. */
function check(text: string, cfg: FeatureConfig): boolean {
  const fastBuf = createFeatureBuffer(8);
  const tokens = extractMessageFeaturesFromText(text, cfg, fastBuf);
  if (tokens === undefined) return false;
  const refBuf = createFeatureBuffer(8);
  const refTokens = normalizeTokens(text);
  extractMessageFeatures(refTokens, cfg, refBuf);
  expect(tokens).toEqual(refTokens);
  expect(fastBuf.tokens).toEqual(refBuf.tokens);
  expect(features(fastBuf)).toEqual(features(refBuf));
  return true;
}

describe("message features straight from the text", () => {
  const configs: FeatureConfig[] = [
    DEFAULT_FEATURE_CONFIG,
    { bits: 12, charMin: 2, charMax: 4, maxTokens: 300 },
  ];

  it.each(configs)("equal the general path's, or none (%o)", (cfg) => {
    const answered = TEXTS.filter((t) => check(t, cfg));
    // Plain ASCII without a run of single letters or an over-long chunk: the memoised path answers.
    expect(answered).toContain(TEXTS[0]);
    expect(answered).toContain(TEXTS[5]);
    expect(answered).toContain(TEXTS[16]);
    // Joined letters, a long chunk, an entity, emoji, accents, too many tokens: the general path.
    for (const i of [2, 3, 11, 12, 13, 14, 15]) expect(answered).not.toContain(TEXTS[i]);
  });

  it("stay equal when the memo fills up and is cleared", () => {
    const rnd = mulberry32(7);
    const letters = "abcdefghijklmnopqrstuvwxyzABC0123456789'!?.,*@";
    let answered = 0;
    for (let i = 0; i < 9000; i++) {
      const words: string[] = [];
      for (let j = 0; j < 10; j++) {
        let w = "";
        const len = 2 + Math.floor(rnd() * 8);
        for (let c = 0; c < len; c++) w += letters[Math.floor(rnd() * letters.length)] ?? "";
        words.push(w);
      }
      if (check(words.join(" "), DEFAULT_FEATURE_CONFIG)) answered++;
    }
    // 90,000 mostly distinct chunks: the memo (65,536 entries) is cleared at least once.
    expect(answered).toBeGreaterThan(8500);
  });
});
