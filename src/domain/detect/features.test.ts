/**
 * Pins the hashed features exactly (buckets, evidence, order, group sizes) for a varied corpus of token
 * sequences under several feature configurations, against a golden file generated from the
 * implementation the shipped models were trained with. Any change to feature extraction that would
 * silently invalidate trained models fails here. The token sequences are stored in the golden file, so
 * the pin does not depend on the normaliser or the lexicon (which change with retraining).
 * Regenerate only on purpose, with retrained models: UPDATE_FEATURE_GOLDEN=1 npx vitest run <this file>.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../tests/helpers/random.ts";
import {
  addFlag,
  createFeatureBuffer,
  evidenceText,
  extractNgramFeatures,
  type FeatureBuffer,
  type FeatureConfig,
} from "./features.ts";
import { normalizeTokens } from "./normalize.ts";
import { extractStanceFeatures } from "./stance-features.ts";

const GOLDEN = new URL("../../../tests/fixtures/features-golden.json", import.meta.url);

const CONFIGS: FeatureConfig[] = [
  { bits: 18, charMin: 3, charMax: 5, maxTokens: 400 },
  { bits: 20, charMin: 2, charMax: 6, maxTokens: 400 },
  { bits: 16, charMin: 1, charMax: 4, maxTokens: 12 },
  { bits: 12, charMin: 4, charMax: 4, maxTokens: 3 },
  // Same bits as the first, other n-gram lengths: the token memo must keep the two apart.
  { bits: 18, charMin: 2, charMax: 4, maxTokens: 400 },
];
const SEEDS = [0, 0x5a5a];
const FLAGS = ["len:1", "signal:slur", "laugh|tox-high", "reply-tox-mid|tox-low", "ünïcode-flag 😂", ""];

/** Texts covering what the normaliser handles (their tokens are stored in the golden file). */
const TEXTS = [
  "",
  "   ",
  "morning all, briefing at 10 in the parade room",
  "she's a right s l a g that one",
  "what a sl@g, b1tch, n1gg3r",
  "b.i.t.c.h c-u-n-t biiiiiitch f***ing brilliant",
  "ѕlаg ναgιnα ｂｉｔｃｈ 𝐛𝐢𝐭𝐜𝐡 𝓈𝓁𝓊𝓉 Café résumé",
  "h\u200be\u200bl\u200bl\u200bo I'd 🔪 him, send pics 🍆 😂😂 🏳️‍🌈 🙃🙃",
  "you &amp; me &#128514; &lt;3 #metoo @dave @ss +1 ++ +100",
  "who's on tomorrow?!! really!!! matt2 team1",
  "supercalifragilisticexpialidocious-antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
  "日本語のテキスト 中文 العربية עברית \ud83d lone \udc00 surrogates",
  "a b c d e f g h i j k l m n o p q r s t u v w x y z",
  // Replies: laughter, agreement, challenge phrases, questions, negation, addressing, emoji only.
  "😂😂",
  "hahaha lol lmao",
  "+1 so true mate",
  "that's not on, delete it",
  "not funny. out of order, you know that?",
  "🔥👍",
  "don't say that, it's not okay",
  "well said, spot on",
  "who's on tomorrow?",
  "you what u your",
];

/** Random token sequences: words of every length, symbols, emoji tokens, non-ASCII, empty tokens. */
function randomTokens(): string[][] {
  const rnd = mulberry32(12345);
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789'_";
  const specials = ["?", "!", "+1", "emoji_fire", "emoji_other", "lol", "", "é", "😂", "x", "ab"];
  const out: string[][] = [];
  for (let s = 0; s < 60; s++) {
    const n = s === 0 ? 0 : s < 50 ? Math.floor(rnd() * 30) : 380 + Math.floor(rnd() * 60);
    const toks: string[] = [];
    for (let t = 0; t < n; t++) {
      if (rnd() < 0.15) {
        toks.push(specials[Math.floor(rnd() * specials.length)] ?? "");
        continue;
      }
      const len = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 40 : 9));
      let w = "";
      for (let i = 0; i < len; i++) w += alphabet[Math.floor(rnd() * alphabet.length)] ?? "";
      toks.push(w);
    }
    out.push(toks);
  }
  return out;
}

function digest(buf: FeatureBuffer): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([buf.n, buf.nWord, buf.nScaled, buf.tokens]));
  h.update(new Uint8Array(buf.idx.buffer, 0, buf.n * 4));
  h.update(new Uint8Array(buf.ev.buffer, 0, buf.n * 4));
  const ev = new Set<number>();
  for (let i = 0; i < buf.n; i++) ev.add(buf.ev[i] ?? -1);
  h.update(JSON.stringify([...ev].sort((a, b) => a - b).map((e) => evidenceText(buf, e))));
  return h.digest("hex").slice(0, 24);
}

/** One digest per token sequence over every configuration and seed, plus the flags appended after. */
function featuresDigest(tokens: string[]): string {
  const buf = createFeatureBuffer(8);
  const parts: string[] = [];
  for (const cfg of CONFIGS) {
    for (const seed of SEEDS) {
      extractNgramFeatures(tokens, cfg, buf, seed);
      for (const [i, f] of FLAGS.entries()) addFlag(buf, f, cfg, i % 2 === 0 ? -1 : 0);
      parts.push(digest(buf));
    }
  }
  return createHash("sha256").update(parts.join(",")).digest("hex").slice(0, 24);
}

/** Stance features of case i as a reply to case i + 1, over parent and reply toxicities. */
function stanceDigest(reply: string[], parent: string[]): string {
  const buf = createFeatureBuffer(8);
  const parts: string[] = [];
  for (const cfg of CONFIGS.slice(0, 2)) {
    for (const [p, r] of [
      [0, 0],
      [0.19, 0.2],
      [0.2, 0.49],
      [0.5, 1],
    ] as const) {
      extractStanceFeatures(reply, parent, p, r, cfg, buf);
      parts.push(digest(buf));
    }
  }
  return createHash("sha256").update(parts.join(",")).digest("hex").slice(0, 24);
}

interface Golden {
  cases: Array<{ tokens: string[]; digest: string; stance: string }>;
}

describe("feature extraction is pinned", () => {
  it("matches the golden digests for every token sequence", () => {
    if (process.env.UPDATE_FEATURE_GOLDEN === "1") {
      const sequences = [...TEXTS.map((t) => normalizeTokens(t)), ...randomTokens()];
      const golden: Golden = {
        cases: sequences.map((tokens, i) => ({
          tokens,
          digest: featuresDigest(tokens),
          stance: stanceDigest(tokens, sequences[(i + 1) % sequences.length] ?? []),
        })),
      };
      writeFileSync(GOLDEN, JSON.stringify(golden, null, 0) + "\n");
    }
    const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as Golden;
    expect(golden.cases.length).toBeGreaterThan(60);
    // Twice: the first pass computes every token's hashes, the second reads them from the memo.
    for (let pass = 0; pass < 2; pass++) {
      const mismatched = golden.cases
        .filter((c) => featuresDigest(c.tokens) !== c.digest)
        .map((c) => c.tokens);
      expect(mismatched).toEqual([]);
      const stanceMismatched = golden.cases
        .filter(
          (c, i) =>
            stanceDigest(c.tokens, golden.cases[(i + 1) % golden.cases.length]?.tokens ?? []) !== c.stance,
        )
        .map((c) => c.tokens);
      expect(stanceMismatched).toEqual([]);
    }
  });
});
