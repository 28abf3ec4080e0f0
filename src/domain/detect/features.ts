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

/** Makes room for `extra` more features. */
function reserve(buf: FeatureBuffer, extra: number): void {
  const need = buf.n + extra;
  if (need <= buf.idx.length) return;
  let cap = buf.idx.length * 2;
  while (cap < need) cap *= 2;
  const idx = new Int32Array(cap);
  idx.set(buf.idx.subarray(0, buf.n));
  const evs = new Int32Array(cap);
  evs.set(buf.ev.subarray(0, buf.n));
  buf.idx = idx;
  buf.ev = evs;
}

/**
 * A token's hashes under one configuration and seed: `[0]` its word hash (FNV-1a, before bucketing),
 * then the buckets of its char n-grams in extraction order. Pure functions of the token, so they are
 * memoised per (configuration, seed): chat vocabulary is Zipfian, and the char n-grams are most of a
 * message's features. A cache is cleared when full, which bounds memory and cannot change a result.
 */
type TokenHashes = Int32Array;
const TOKEN_CACHE_MAX = 50_000;
/** Longer tokens are rare and not worth keeping. */
const TOKEN_CACHE_MAX_LEN = 40;
const tokenCaches = new Map<string, Map<string, TokenHashes>>();
const gramScratch: number[] = [];

function tokenCache(cfg: FeatureConfig, prefixSeed: number): Map<string, TokenHashes> {
  const key = `${cfg.bits}/${cfg.charMin}/${cfg.charMax}/${prefixSeed}`;
  let cache = tokenCaches.get(key);
  if (cache === undefined) {
    cache = new Map();
    tokenCaches.set(key, cache);
  }
  return cache;
}

function computeTokenHashes(w: string, cfg: FeatureConfig, prefixSeed: number, shift: number): TokenHashes {
  gramScratch.length = 0;
  gramScratch.push(hashString(w, NS.word ^ prefixSeed) | 0);
  // (Runs once per distinct token, so the scratch array's resizing does not matter here.)
  if (!isSymbolToken(w)) {
    // Char n-grams over "<word>", capped at 24 chars of the word.
    const len = Math.min(w.length, 24) + 2;
    const seed = (FNV_OFFSET ^ NS.char ^ prefixSeed) >>> 0;
    for (let i = 0; i + cfg.charMin <= len; i++) {
      let h = seed;
      for (let k = 0; k < cfg.charMax && i + k < len; k++) {
        const pos = i + k;
        const c = pos === 0 ? 60 : pos === len - 1 ? 62 : w.charCodeAt(pos - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (k + 1 >= cfg.charMin) gramScratch.push(fmix(h ^ (k + 1)) >>> shift);
      }
    }
  }
  return Int32Array.from(gramScratch);
}

/** Each token's hashes during one extraction (grown as needed, never shrunk: resizing costs more). */
const entryScratch: TokenHashes[] = [];

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
  const cache = tokenCache(cfg, prefixSeed);
  const ents = entryScratch;
  let grams = 0;
  for (let t = 0; t < nTok; t++) {
    const w = tokens[t] ?? "";
    let e = cache.get(w);
    if (e === undefined) {
      e = computeTokenHashes(w, cfg, prefixSeed, shift);
      if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
      if (w.length <= TOKEN_CACHE_MAX_LEN) cache.set(w, e);
    }
    ents[t] = e;
    grams += e.length - 1;
  }
  reserve(buf, 2 * nTok + grams);
  const idx = buf.idx;
  const evs = buf.ev;
  let n = 0;
  let prev = 0;
  for (let t = 0; t < nTok; t++) {
    const hw = (ents[t] as TokenHashes)[0] as number;
    idx[n] = fmix(hw) >>> shift;
    evs[n++] = t;
    if (t > 0) {
      idx[n] = fmix(Math.imul(prev ^ NS.bigram, 0x9e3779b1) ^ hw) >>> shift;
      evs[n++] = nTok + t - 1;
    }
    prev = hw;
  }
  buf.nWord = n;
  for (let t = 0; t < nTok; t++) {
    const e = ents[t] as TokenHashes;
    for (let j = 1; j < e.length; j++) {
      idx[n] = e[j] as number;
      evs[n++] = t;
    }
  }
  buf.n = n;
  buf.nScaled = n;
}

/** Flag buckets by name, per bucket count (flag names are few and repeat on every message). */
const flagBuckets = new Map<number, Map<string, number>>();
const FLAG_CACHE_MAX = 10_000;

/** The bucket of the flag called `name` with 2^bits buckets. */
function flagBucket(name: string, bits: number): number {
  let m = flagBuckets.get(bits);
  if (m === undefined) {
    m = new Map();
    flagBuckets.set(bits, m);
  }
  let b = m.get(name);
  if (b === undefined) {
    b = fmix(hashString(name, NS.flag)) >>> (32 - bits);
    if (m.size >= FLAG_CACHE_MAX) m.clear();
    m.set(name, b);
  }
  return b;
}

/** Appends a named flag feature (value 1); `ev` is the word it came from, or -1 for none. */
export function addFlag(buf: FeatureBuffer, name: string, cfg: FeatureConfig, ev = -1): void {
  push(buf, flagBucket(name, cfg.bits), ev);
}

/** `signal:<kind>` for each kind, built once. */
const signalFlagNames = new Map<string, string>();

/**
 * Appends one flag per signal word in the (already extracted) tokens: `signal:<kind>`, with the
 * word as its evidence, so a reason can name the word. See SIGNAL_WORDS in lexicon.ts.
 */
export function addSignalFlags(buf: FeatureBuffer, cfg: FeatureConfig): void {
  const tokens = buf.tokens;
  for (let t = 0; t < tokens.length; t++) {
    const kind = signalOf(tokens[t] ?? "");
    if (kind === undefined) continue;
    let name = signalFlagNames.get(kind);
    if (name === undefined) {
      name = `signal:${kind}`;
      signalFlagNames.set(kind, name);
    }
    addFlag(buf, name, cfg, t);
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
