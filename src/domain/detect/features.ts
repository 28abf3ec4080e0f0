/**
 * @module features
 * Hashed n-gram features over normalised tokens: word unigrams, word bigrams and character 3-5-grams
 * of each word (with boundary marks), each hashed into 2^bits buckets. Every feature remembers which
 * piece of text produced it (its evidence: a word or a word pair), so a score can be explained by the
 * words that drove it. No strings are built on the hot path; hashing runs over char codes.
 */
import { signalOf } from "./lexicon.ts";

/** How text becomes features; stored in each model's header so training and inference agree. */
export interface FeatureConfig {
  bits: number;
  charMin: number;
  charMax: number;
  /** Tokens beyond this are ignored (bounds the cost of a pathological message). */
  maxTokens: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = { bits: 18, charMin: 3, charMax: 5, maxTokens: 400 };

/**
 * A reusable feature buffer. `idx[i]` is a bucket, `ev[i]` its evidence: `0..tokens-1` a word,
 * `tokens..2*tokens-2` the bigram starting at word `ev - tokens`, `-1` a feature with no text span.
 * Features [0, nWord) are word uni/bigrams, [nWord, nScaled) char n-grams; all n-grams together are
 * L2-normalised (each valued 1/sqrt(nScaled)); the rest are flags (valued 1). Normalising words and
 * char n-grams as two separate groups was tried and scored lower on every evaluation set.
 */
export interface FeatureBuffer {
  idx: Int32Array;
  ev: Int32Array;
  n: number;
  nWord: number;
  nScaled: number;
  tokens: string[];
}

/** The value of feature `i` given the group sizes (see {@link FeatureBuffer}). */
export function featureValue(i: number, _nWord: number, nScaled: number): number {
  return i < nScaled ? 1 / Math.sqrt(nScaled) : 1;
}

/** A new empty buffer; it grows as needed. */
export function createFeatureBuffer(capacity = 1024): FeatureBuffer {
  return {
    idx: new Int32Array(capacity),
    ev: new Int32Array(capacity),
    n: 0,
    nWord: 0,
    nScaled: 0,
    tokens: [],
  };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's finaliser: spreads the FNV state over all bits before the top bits are taken. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string's UTF-16 code units, starting from `seed`. */
export function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Namespaces keep word, bigram, char and flag features apart before bucketing. */
export const NS = { word: 0x1001, bigram: 0x2002, char: 0x3003, flag: 0x4004 } as const;

function push(buf: FeatureBuffer, bucket: number, ev: number): void {
  if (buf.n === buf.idx.length) {
    const idx = new Int32Array(buf.idx.length * 2);
    idx.set(buf.idx);
    const evs = new Int32Array(buf.ev.length * 2);
    evs.set(buf.ev);
    buf.idx = idx;
    buf.ev = evs;
  }
  buf.idx[buf.n] = bucket;
  buf.ev[buf.n] = ev;
  buf.n++;
}

/** A token that gets word features only (no char n-grams). */
function isSymbolToken(t: string): boolean {
  return t === "?" || t === "!" || t === "+1" || t.startsWith("emoji_");
}

/**
 * Fills `buf` with the hashed n-gram features of `tokens` under `prefixSeed` (so the stance model can
 * keep reply and parent features apart). Resets the buffer first.
 */
export function extractNgramFeatures(
  tokens: string[],
  cfg: FeatureConfig,
  buf: FeatureBuffer,
  prefixSeed = 0,
): void {
  buf.n = 0;
  const shift = 32 - cfg.bits;
  const nTok = Math.min(tokens.length, cfg.maxTokens);
  buf.tokens = nTok === tokens.length ? tokens : tokens.slice(0, nTok);
  let prev = 0;
  for (let t = 0; t < nTok; t++) {
    const w = tokens[t] ?? "";
    const hw = hashString(w, NS.word ^ prefixSeed);
    push(buf, fmix(hw) >>> shift, t);
    if (t > 0) push(buf, fmix(Math.imul(prev ^ NS.bigram, 0x9e3779b1) ^ hw) >>> shift, nTok + t - 1);
    prev = hw;
  }
  buf.nWord = buf.n;
  for (let t = 0; t < nTok; t++) {
    const w = tokens[t] ?? "";
    if (isSymbolToken(w)) continue;
    // Char n-grams over "<word>", capped at 24 chars of the word.
    const len = Math.min(w.length, 24) + 2;
    for (let i = 0; i + cfg.charMin <= len; i++) {
      let h = (FNV_OFFSET ^ NS.char ^ prefixSeed) >>> 0;
      for (let k = 0; k < cfg.charMax && i + k < len; k++) {
        const pos = i + k;
        const c = pos === 0 ? 60 : pos === len - 1 ? 62 : w.charCodeAt(pos - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (k + 1 >= cfg.charMin) push(buf, fmix(h ^ (k + 1)) >>> shift, t);
      }
    }
  }
  buf.nScaled = buf.n;
}

/** Appends a named flag feature (value 1); `ev` is the word it came from, or -1 for none. */
export function addFlag(buf: FeatureBuffer, name: string, cfg: FeatureConfig, ev = -1): void {
  push(buf, fmix(hashString(name, NS.flag)) >>> (32 - cfg.bits), ev);
}

/**
 * Appends one flag per signal word in the (already extracted) tokens: `signal:<kind>`, with the
 * word as its evidence, so a reason can name the word. See SIGNAL_WORDS in lexicon.ts.
 */
export function addSignalFlags(buf: FeatureBuffer, cfg: FeatureConfig): void {
  const tokens = buf.tokens;
  for (let t = 0; t < tokens.length; t++) {
    const kind = signalOf(tokens[t] ?? "");
    if (kind !== undefined) addFlag(buf, `signal:${kind}`, cfg, t);
  }
}

/** The text a feature's evidence id points at: a word or a word pair. */
export function evidenceText(buf: FeatureBuffer, ev: number): string {
  const nTok = buf.tokens.length;
  if (ev < 0) return "";
  if (ev < nTok) return buf.tokens[ev] ?? "";
  const i = ev - nTok;
  return `${buf.tokens[i] ?? ""} ${buf.tokens[i + 1] ?? ""}`;
}

/** The message model's features: n-grams of the tokens, their signal-word flags and a length flag. */
export function extractMessageFeatures(tokens: string[], cfg: FeatureConfig, buf: FeatureBuffer): void {
  extractNgramFeatures(tokens, cfg, buf);
  addSignalFlags(buf, cfg);
  // Message length as a flag: one- and two-word chat replies ("ta", "👍") are almost never abuse,
  // and the public corpora have too few of them to teach that through the bias alone.
  const n = buf.tokens.length;
  addFlag(
    buf,
    n <= 1 ? "len:1" : n === 2 ? "len:2" : n <= 5 ? "len:3-5" : n <= 12 ? "len:6-12" : "len:13+",
    cfg,
  );
}
