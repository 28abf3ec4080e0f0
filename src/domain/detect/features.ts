/**
 * @module features
 * Hashed n-gram features over normalised tokens: word unigrams, word bigrams and character 3-5-grams
 * of each word (with boundary marks), each hashed into 2^bits buckets. Every feature remembers which
 * piece of text produced it (its evidence: a word or a word pair), so a score can be explained by the
 * words that drove it. No strings are built on the hot path; hashing runs over char codes.
 */
import { signalOf } from "./lexicon.ts";
import { isSingleLetter, normalizePiece } from "./normalize.ts";

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
  /**
   * The tokens the features were extracted from (the first maxTokens). extractTextFeatures() sets it
   * to an empty array (shared: never mutate it) and only takeTextTokens() fills it, so it never holds
   * an earlier message's tokens.
   */
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

/** The last configuration and seed asked for, and their cache: a key string per call cost a visible share. */
let lastTokenCfg: FeatureConfig | undefined;
let lastTokenSeed = 0;
let lastTokenCache: Map<string, TokenHashes> = new Map();

function tokenCache(cfg: FeatureConfig, prefixSeed: number): Map<string, TokenHashes> {
  if (cfg === lastTokenCfg && prefixSeed === lastTokenSeed) return lastTokenCache;
  const key = `${cfg.bits}/${cfg.charMin}/${cfg.charMax}/${prefixSeed}`;
  let cache = tokenCaches.get(key);
  if (cache === undefined) {
    cache = new Map();
    tokenCaches.set(key, cache);
  }
  lastTokenCfg = cfg;
  lastTokenSeed = prefixSeed;
  lastTokenCache = cache;
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

/** Word hashes of the current message's tokens (grown as needed). */
let wordHashScratch = new Int32Array(256);

function wordHashes(nTok: number): Int32Array {
  if (wordHashScratch.length < nTok) wordHashScratch = new Int32Array(nTok * 2);
  return wordHashScratch;
}

/**
 * Writes the word unigram and bigram features of tokens with word hashes `hw` (room reserved),
 * interleaved (word t, then the pair ending at t); returns the number written.
 */
function writeWordFeatures(buf: FeatureBuffer, hw: Int32Array, nTok: number, shift: number): number {
  const idx = buf.idx;
  const evs = buf.ev;
  let n = 0;
  for (let t = 0; t < nTok; t++) {
    idx[n] = wordBucket(hw[t] as number, shift);
    evs[n++] = t;
    if (t > 0) {
      idx[n] = bigramBucket(hw[t - 1] as number, hw[t] as number, shift);
      evs[n++] = nTok + t - 1;
    }
  }
  buf.nWord = n;
  return n;
}

/** The bucket of a word with word hash `h`. */
function wordBucket(h: number, shift: number): number {
  return fmix(h) >>> shift;
}

/** The bucket of the word pair with word hashes `prev`, `h`. */
function bigramBucket(prev: number, h: number, shift: number): number {
  return fmix(Math.imul(prev ^ NS.bigram, 0x9e3779b1) ^ h) >>> shift;
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
  const hw = wordHashes(nTok);
  for (let t = 0; t < nTok; t++) hw[t] = (ents[t] as TokenHashes)[0] as number;
  let n = writeWordFeatures(buf, hw, nTok, shift);
  const idx = buf.idx;
  const evs = buf.ev;
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
  addFlag(buf, lengthFlag(buf.tokens.length), cfg);
}

/**
 * Message length as a flag: one- and two-word chat replies ("ta", "👍") are almost never abuse, and
 * the public corpora have too few of them to teach that through the bias alone.
 */
function lengthFlag(n: number): string {
  return n <= 1 ? "len:1" : n === 2 ? "len:2" : n <= 5 ? "len:3-5" : n <= 12 ? "len:6-12" : "len:13+";
}

/*
 * Message features straight from the text. normalizeTokens() and
 * extractMessageFeatures() look each chunk, then each token, up in a Map, and slice a string per
 * chunk to do so; together they were about half of the cost of classifying a message. Here one memo
 * maps a chunk (the text between ASCII white space, hashed and compared in place in the text, without
 * a slice) to its tokens (normalizePiece(): chunks are normalised independently) and, for
 * each token, everything the features need: the word hash, the char n-gram buckets, the signal flag.
 * The features come out exactly as extractMessageFeatures(normalizeTokens(text)) gives them, in the
 * same order (sums over them are order-sensitive); anything the memo does not cover (a run of single
 * letters to join, a long chunk, too many tokens) is left to that path.
 */

/** Chunks longer than this are not memoised (the message takes the general path). */
const MEMO_MAX_CHUNK = 40;
/** Entries before the memo is cleared (bounds its memory; cannot change a result). */
const MEMO_MAX_ENTRIES = 1 << 16;
const MEMO_SLOTS = MEMO_MAX_ENTRIES * 2;
// The pool is also capped in size (2^21 Int32 = 8 MB): long chunks such as ids or hashes would
// otherwise grow it to 64 MB per thread before the entry limit is reached.
const MEMO_MAX_POOL = 1 << 21;
const MEMO_INITIAL_POOL = 1 << 16;
/** Bits of a slot holding `at + 1` (at most MEMO_MAX_POOL); the hash's top bits take the rest. */
const SLOT_AT_BITS = 22;
const SLOT_AT_MASK = (1 << SLOT_AT_BITS) - 1;
// A record starts below MEMO_MAX_POOL, so `at + 1` (at most MEMO_MAX_POOL) must fit in a slot's low bits.
if (MEMO_MAX_POOL > SLOT_AT_MASK) throw new Error("MEMO_MAX_POOL does not fit in SLOT_AT_BITS bits");

/**
 * One memo per feature configuration. A chunk's record sits at `pool[at..]`, all in one place so a
 * hit touches a cache line or two: where its token strings start in `tokens`, the
 * chunk's length (with REC_EXACT set if not plain), its number of tokens, the number of features they
 * add after the word uni/bigrams, its runs of single letters, its char codes (ASCII letters
 * lower-cased for a plain chunk), then per token (TOK_HEAD ints, then its buckets): word hash,
 * signal-flag bucket (-1: none), the number of char n-gram buckets, per class of
 * the bound model (see bindMemo) the sum of the int8 codes of the token's word unigram and char
 * n-grams (everything a token adds but its bigram and flag), then the char n-gram buckets. `slots`
 * (open addressing) holds one int per chunk: `at + 1` (0: empty) in the low SLOT_AT_BITS bits, and
 * the top bits of the chunk's hash above them (a quick check before the record is read); 4 bytes a
 * slot keep the table (512 KB) in cache more often than pairs of ints did.
 */
interface ChunkMemo {
  slots: Int32Array;
  /** The model whose code sums the records hold (see bindMemo); sums are 0 while none is bound. */
  bound: CodeWeights | undefined;
  /** Every chunk's token strings, one after another (one array, not one per chunk: fewer objects for the garbage collector to trace). */
  tokens: string[];
  /** Chunks in the memo. */
  entries: number;
  pool: Int32Array;
  poolLen: number;
}

/** Offsets within a chunk's record. */
const REC_ENTRY = 0;
const REC_LEN = 1;
const REC_TOKENS = 2;
/** The features the chunk's tokens add after their word uni/bigrams: char n-grams and signal flags. */
const REC_EXTRA = 3;
/** Runs of single-letter tokens (see chunkRuns). */
const REC_RUNS = 4;
const REC_CHARS = 5;
/** Set in a record's length when the chunk is not plain and is matched exactly (see memoFind). */
const REC_EXACT = 1 << 30;
/** Offsets within a token's entry, and the entry's size before its buckets. */
const TOK_FLAG = 1;
const TOK_GRAMS = 2;
const TOK_SUMS = 3;
/** Classes whose code sums a token entry holds: the message model's; any other is scored by the general path. */
const MEMO_CLASSES = 6;
const TOK_HEAD = TOK_SUMS + MEMO_CLASSES;

/**
 * A model's int8 codes, `q[bucket * k + c]`: what the memo sums per token (the message model in
 * linear-model.ts satisfies it; this module does not import it).
 */
export interface CodeWeights {
  q: Int8Array;
  k: number;
}

const chunkMemos = new Map<string, ChunkMemo>();

/** The last configuration asked for and its memo (see tokenCache). */
let lastMemoCfg: FeatureConfig | undefined;
let lastMemo: ChunkMemo | undefined;

function chunkMemo(cfg: FeatureConfig): ChunkMemo {
  if (cfg === lastMemoCfg && lastMemo !== undefined) return lastMemo;
  const key = `${cfg.bits}/${cfg.charMin}/${cfg.charMax}`;
  let m = chunkMemos.get(key);
  if (m === undefined) {
    m = {
      slots: new Int32Array(MEMO_SLOTS),
      bound: undefined,
      tokens: [],
      entries: 0,
      pool: new Int32Array(MEMO_INITIAL_POOL),
      poolLen: 0,
    };
    chunkMemos.set(key, m);
  }
  lastMemoCfg = cfg;
  lastMemo = m;
  return m;
}

/** Empties the memo (slots, entries, pool) and gives back a pool that grew past its initial size. */
function memoClear(m: ChunkMemo): void {
  m.slots.fill(0);
  m.tokens.length = 0;
  m.entries = 0;
  m.poolLen = 0;
  if (m.pool.length > MEMO_INITIAL_POOL) m.pool = new Int32Array(MEMO_INITIAL_POOL);
}

/**
 * Adds the chunk `key` (hash `h`; lower-cased if plain, else as in the text) to the memo in `slot`;
 * returns its record, or -1 when the memo was full (and is now cleared).
 */
function memoAdd(
  m: ChunkMemo,
  cfg: FeatureConfig,
  key: string,
  exact: boolean,
  h: number,
  slot: number,
): number {
  if (m.entries >= MEMO_MAX_ENTRIES) {
    memoClear(m);
    return -1;
  }
  const toks: string[] = [];
  normalizePiece(key, toks);
  const shift = 32 - cfg.bits;
  const rows = toks.map((w) => computeTokenHashes(w, cfg, 0, shift));
  let need = REC_CHARS + key.length;
  for (const r of rows) need += r.length - 1 + TOK_HEAD;
  if (m.poolLen + need > MEMO_MAX_POOL) {
    memoClear(m);
    return -1;
  }
  if (m.poolLen + need > m.pool.length) {
    const bigger = new Int32Array(Math.max(m.pool.length * 2, m.poolLen + need));
    bigger.set(m.pool.subarray(0, m.poolLen));
    m.pool = bigger;
  }
  const pool = m.pool;
  const at = m.poolLen;
  pool[at + REC_ENTRY] = m.tokens.length;
  m.entries++;
  pool[at + REC_LEN] = exact ? key.length | REC_EXACT : key.length;
  pool[at + REC_TOKENS] = toks.length;
  pool[at + REC_RUNS] = chunkRuns(toks);
  let extra = 0;
  let p = at + REC_CHARS;
  for (let i = 0; i < key.length; i++) pool[p++] = key.charCodeAt(i);
  for (const w of toks) m.tokens.push(w);
  const bound = m.bound;
  for (let t = 0; t < toks.length; t++) {
    const w = toks[t] as string;
    const r = rows[t] as TokenHashes;
    const kind = signalOf(w);
    pool[p] = r[0] as number;
    pool[p + TOK_FLAG] = kind === undefined ? -1 : flagBucket(`signal:${kind}`, cfg.bits);
    pool[p + TOK_GRAMS] = r.length - 1;
    extra += r.length - 1 + (kind === undefined ? 0 : 1);
    pool.fill(0, p + TOK_SUMS, p + TOK_HEAD);
    if (bound !== undefined) {
      for (let j = 0; j < r.length; j++) {
        const b = (j === 0 ? wordBucket(r[0] as number, shift) : (r[j] as number)) * bound.k;
        for (let c = 0; c < bound.k; c++) {
          pool[p + TOK_SUMS + c] = (pool[p + TOK_SUMS + c] as number) + (bound.q[b + c] as number);
        }
      }
    }
    p += TOK_HEAD;
    for (let j = 1; j < r.length; j++) pool[p++] = r[j] as number;
  }
  pool[at + REC_EXTRA] = extra;
  m.poolLen = p;
  m.slots[slot] = (at + 1) | (h & ~SLOT_AT_MASK);
  return at;
}

const RUN_BITS = 10;
const RUN_MASK = (1 << RUN_BITS) - 1;

/**
 * A chunk's runs of single-letter tokens (the normaliser joins three or more in a row, "s l a g", so
 * such a text takes the general path): the run it starts with, the run it ends with, and its longest,
 * packed RUN_BITS bits each (a chunk of at most MEMO_MAX_CHUNK chars has fewer tokens than that).
 */
function chunkRuns(toks: readonly string[]): number {
  let lead = -1;
  let run = 0;
  let longest = 0;
  for (const w of toks) {
    const single = isSingleLetter(w);
    if (!single && lead < 0) lead = run;
    run = single ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  if (lead < 0) lead = run;
  return lead | (run << RUN_BITS) | (longest << (2 * RUN_BITS));
}

/**
 * The record of the chunk `text[start, end)`, whose FNV-1a hash over its chars with ASCII letters
 * lower-cased is `fnv`; -1 when it cannot be memoised. A plain chunk (printable
 * ASCII other than "&") is looked up with its ASCII letters lower-cased, as normalisation would
 * lower-case them; any other chunk (`exact`) only as it is.
 */
function memoFind(
  m: ChunkMemo,
  cfg: FeatureConfig,
  text: string,
  start: number,
  end: number,
  exact: boolean,
  fnv: number,
): number {
  const len = end - start;
  if (len > MEMO_MAX_CHUNK) return -1;
  const h = fmix(fnv) | 0;
  const mask = MEMO_SLOTS - 1;
  const pool = m.pool;
  const lenKey = exact ? len | REC_EXACT : len;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const e = m.slots[slot] as number;
    const at = (e & SLOT_AT_MASK) - 1;
    if (at < 0) {
      const chunk = text.slice(start, end);
      return memoAdd(m, cfg, exact ? chunk : chunk.toLowerCase(), exact, h, slot);
    }
    if ((e & ~SLOT_AT_MASK) !== (h & ~SLOT_AT_MASK) || pool[at + REC_LEN] !== lenKey) continue;
    let j = 0;
    const k = at + REC_CHARS;
    if (exact) {
      while (j < len && text.charCodeAt(start + j) === pool[k + j]) j++;
    } else {
      for (; j < len; j++) {
        const c = text.charCodeAt(start + j);
        if ((c >= 65 && c <= 90 ? c + 32 : c) !== pool[k + j]) break;
      }
    }
    if (j === len) return at;
  }
}

/** The offset of the first token of the chunk record at `at`. */
function firstTokenAt(pool: Int32Array, at: number): number {
  return at + REC_CHARS + ((pool[at + REC_LEN] as number) & ~REC_EXACT);
}

/** Records of the current message's chunks, and each token's offset in the pool (grown as needed). */
let chunkScratch = new Int32Array(256);
let tokAtScratch = new Int32Array(256);

/**
 * The chunks (in chunkScratch) of the last text scanChunks() answered for, and their memo; 0 and
 * undefined after a text that needed the general path (so takeTextTokens() never answers for an
 * earlier text).
 */
let lastChunks = 0;
let lastChunksMemo: ChunkMemo | undefined;
/** `buf.tokens` until takeTextTokens() builds them (one shared array: no allocation per message). */
const NO_TOKENS: string[] = [];

/** The n-gram and flag features the tokens of the text scanChunks() last answered for add after their words. */
let scannedExtra = 0;

/**
 * Finds the chunks of `text` in the memo `m` (adding those it lacks) into chunkScratch, in order;
 * returns the number of tokens, or -1 when the text needs the general path. Sets `lastChunks` and
 * `scannedExtra`, and makes takeTextTokens() answer for this text.
 */
function scanChunks(text: string, cfg: FeatureConfig, m: ChunkMemo): number {
  lastChunksMemo = undefined;
  lastChunks = 0;
  let nChunks = 0;
  let nTok = 0;
  let extra = 0;
  let run = 0;
  let start = -1;
  let plain = true;
  // The chunk's hash is computed in the same pass that finds its end.
  let h = FNV_OFFSET;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      if (start < 0) {
        start = i;
        plain = true;
        h = FNV_OFFSET;
      }
      // Not printable ASCII, or "&" (which may start an HTML entity): see isPlainAscii() in normalize.ts.
      if (c < 0x20 || c > 0x7e || c === 38) plain = false;
      h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
      continue;
    }
    if (start < 0) continue;
    const at = memoFind(m, cfg, text, start, i, !plain, h);
    start = -1;
    if (at < 0) return -1;
    if (nChunks === chunkScratch.length) {
      const bigger = new Int32Array(nChunks * 2);
      bigger.set(chunkScratch);
      chunkScratch = bigger;
    }
    chunkScratch[nChunks++] = at;
    const toks = m.pool[at + REC_TOKENS] as number;
    // A run of three single letters, here or across chunks, is joined by the normaliser: general path.
    const runs = m.pool[at + REC_RUNS] as number;
    const lead = runs & RUN_MASK;
    if (lead === toks) {
      run += toks;
      if (run >= 3) return -1;
    } else {
      if (run + lead >= 3 || runs >>> (2 * RUN_BITS) >= 3) return -1;
      run = (runs >>> RUN_BITS) & RUN_MASK;
    }
    extra += m.pool[at + REC_EXTRA] as number;
    nTok += toks;
    // Past maxTokens the general path truncates: stop scanning (and filling the memo) now.
    if (nTok > cfg.maxTokens) return -1;
  }
  scannedExtra = extra;
  lastChunks = nChunks;
  lastChunksMemo = m;
  return nTok;
}

/** Word hashes (wordHashes()) and entry offsets (tokAtScratch) of the `nTok` tokens scanChunks() found. */
function collectTokens(pool: Int32Array, nTok: number): Int32Array {
  const hw = wordHashes(nTok);
  if (tokAtScratch.length < nTok) tokAtScratch = new Int32Array(nTok * 2);
  const tokAt = tokAtScratch;
  let t = 0;
  for (let k = 0; k < lastChunks; k++) {
    const at = chunkScratch[k] as number;
    let p = firstTokenAt(pool, at);
    for (let q = pool[at + REC_TOKENS] as number; q > 0; q--) {
      tokAt[t] = p;
      hw[t++] = pool[p] as number;
      p += TOK_HEAD + (pool[p + TOK_GRAMS] as number);
    }
  }
  return hw;
}

/**
 * Fills `buf` exactly as `extractMessageFeatures(normalizeTokens(text), cfg, buf)` does, except `buf.tokens`
 * (left empty), and returns the number of tokens; -1 (leaving `buf` in no particular state, with
 * empty `buf.tokens`) when the text needs the general path. The token strings are built only on
 * demand, by {@link takeTextTokens}: most messages need only their scores. Neither `buf.tokens` nor
 * takeTextTokens() can give an earlier message's tokens: both are reset here first.
 */
export function extractTextFeatures(text: string, cfg: FeatureConfig, buf: FeatureBuffer): number {
  buf.tokens = NO_TOKENS;
  const m = chunkMemo(cfg);
  const nTok = scanChunks(text, cfg, m);
  if (nTok < 0) return -1;
  const pool = m.pool;
  const hw = collectTokens(pool, nTok);
  const tokAt = tokAtScratch;
  buf.n = 0;
  reserve(buf, 2 * nTok + scannedExtra + 1);
  let n = writeWordFeatures(buf, hw, nTok, 32 - cfg.bits);
  const idx = buf.idx;
  const evs = buf.ev;
  for (let t = 0; t < nTok; t++) {
    const p = (tokAt[t] as number) + TOK_HEAD;
    const end = p + (pool[p - TOK_HEAD + TOK_GRAMS] as number);
    for (let g = p; g < end; g++) {
      idx[n] = pool[g] as number;
      evs[n++] = t;
    }
  }
  buf.nScaled = n;
  // Signal flags after every n-gram, in token order, as addSignalFlags() adds them.
  for (let t = 0; t < nTok; t++) {
    const flag = pool[(tokAt[t] as number) + TOK_FLAG] as number;
    if (flag === -1) continue;
    idx[n] = flag;
    evs[n++] = t;
  }
  buf.n = n;
  addFlag(buf, lengthFlag(nTok), cfg);
  return nTok;
}

/**
 * Adds the six ints at `src[at..at+6)` to `sums[o..o+6)`: one bucket's codes of a six-class model
 * (small enough to be inlined where it is called in a loop).
 */
export function add6(src: Int8Array | Int32Array, at: number, sums: Int32Array, o: number): void {
  sums[o] = (sums[o] as number) + (src[at] as number);
  sums[o + 1] = (sums[o + 1] as number) + (src[at + 1] as number);
  sums[o + 2] = (sums[o + 2] as number) + (src[at + 2] as number);
  sums[o + 3] = (sums[o + 3] as number) + (src[at + 3] as number);
  sums[o + 4] = (sums[o + 4] as number) + (src[at + 4] as number);
  sums[o + 5] = (sums[o + 5] as number) + (src[at + 5] as number);
}

/** Makes the memo's code sums those of `w`, emptying it if it held another model's. */
function bindMemo(m: ChunkMemo, w: CodeWeights): void {
  if (m.bound?.q === w.q && m.bound.k === w.k) return;
  memoClear(m);
  m.bound = w;
}

/**
 * The sums a quantised model's logits are made of (linear-model.ts, logitsFromCodeSums), straight from
 * the text: `sums[c]` is the sum over the message's n-gram features of their codes for class `c`,
 * `sums[k + c]` over its flags; returns the number of n-gram features (-1: the text needs the general
 * path, or the model has not MEMO_CLASSES classes). The sums equal those of the features
 * extractTextFeatures() gives, but each token's word and char n-gram codes (most of a message's
 * features) are summed once, when the memo first meets the token, so a message reads the codes of
 * one feature per word (its bigram's, scattered over the table) instead of a dozen. takeTextTokens() then answers for this text.
 */
export function sumTextCodes(text: string, cfg: FeatureConfig, w: CodeWeights, sums: Int32Array): number {
  if (w.k !== MEMO_CLASSES) {
    lastChunksMemo = undefined;
    lastChunks = 0;
    return -1;
  }
  const m = chunkMemo(cfg);
  bindMemo(m, w);
  const nTok = scanChunks(text, cfg, m);
  if (nTok < 0) return -1;
  const pool = m.pool;
  const q = w.q;
  const shift = 32 - cfg.bits;
  sums.fill(0, 0, 2 * MEMO_CLASSES);
  let nScaled = 0;
  let prev = 0;
  let t = 0;
  for (let ch = 0; ch < lastChunks; ch++) {
    const at = chunkScratch[ch] as number;
    let p = firstTokenAt(pool, at);
    for (let left = pool[at + REC_TOKENS] as number; left > 0; left--, t++) {
      const h = pool[p] as number;
      if (t > 0) add6(q, bigramBucket(prev, h, shift) * 6, sums, 0);
      prev = h;
      add6(pool, p + TOK_SUMS, sums, 0);
      const grams = pool[p + TOK_GRAMS] as number;
      nScaled += grams;
      const flag = pool[p + TOK_FLAG] as number;
      if (flag !== -1) add6(q, flag * 6, sums, 6);
      p += TOK_HEAD + grams;
    }
  }
  add6(q, flagBucket(lengthFlag(nTok), cfg.bits) * 6, sums, 6);
  return nScaled + (nTok > 0 ? 2 * nTok - 1 : 0);
}

/**
 * The tokens of the message extractTextFeatures() last answered for, also set as `buf.tokens` (none
 * if that extraction returned -1). Call it before the next extraction (which reuses the chunk list
 * and may clear the memo).
 */
export function takeTextTokens(buf: FeatureBuffer): string[] {
  const m = lastChunksMemo;
  const tokens: string[] = [];
  if (m !== undefined) {
    for (let k = 0; k < lastChunks; k++) {
      const at = chunkScratch[k] as number;
      const first = m.pool[at + REC_ENTRY] as number;
      const end = first + (m.pool[at + REC_TOKENS] as number);
      for (let i = first; i < end; i++) tokens.push(m.tokens[i] as string);
    }
  }
  buf.tokens = tokens;
  return tokens;
}

/**
 * Fills `buf` exactly as `extractMessageFeatures(normalizeTokens(text), cfg, buf)` does and returns
 * the tokens, or returns undefined (leaving `buf` in no particular state) when the text needs the
 * general path.
 */
export function extractMessageFeaturesFromText(
  text: string,
  cfg: FeatureConfig,
  buf: FeatureBuffer,
): string[] | undefined {
  return extractTextFeatures(text, cfg, buf) < 0 ? undefined : takeTextTokens(buf);
}
