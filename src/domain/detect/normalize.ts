/**
 * @module normalize
 * Turns a chat message into the token sequence the text models read, undoing the usual ways people
 * hide words from filters: Unicode look-alikes (Cyrillic/Greek letters, fullwidth and mathematical
 * alphanumerics), accents, zero-width characters, leetspeak ("sl@g", "b1tch"), masks ("b*tch",
 * "f***ing"), letters split by punctuation ("b.i.t.c.h") or spaces ("s l a g"), repeated letters
 * ("biiiitch") and emoji standing for words ("🍆", "😂").
 */
import { EMOJI_WORDS, OBFUSCATED_TARGETS, isTarget } from "./lexicon.ts";

/** Cyrillic and Greek letters that look like Latin ones (after lower-casing and NFKC). */
const CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  ԁ: "d",
  һ: "h",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  ɑ: "a",
  ı: "i",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  γ: "y",
  ω: "w",
  μ: "u",
  ς: "c",
  σ: "o",
  ł: "l",
  ø: "o",
  đ: "d",
  ß: "ss",
  æ: "ae",
  œ: "oe",
};

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

/** Leetspeak substitutions, applied only inside a token that also has letters. */
const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "i",
  "+": "t",
  "€": "e",
  "£": "l",
};

// The class lists invisible code points one by one on purpose (variation selectors, joiners, bidi marks).
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/gu;
const PLAIN_WORD = /^[a-z]+$/;
const DOUBLE = /(.)\1/;
const COMBINING = /\p{M}+/gu;
const EMOJI_RE = new RegExp(
  EMOJI_WORDS.map(([e]) => e.replace(/\u{fe0f}/gu, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .map((e) => [...e].join("\u{fe0f}?") + "\u{fe0f}?")
    .join("|"),
  "gu",
);
const EMOJI_MAP = new Map<string, string>(EMOJI_WORDS.map(([e, w]) => [e.replace(/\u{fe0f}/gu, ""), w]));
/** Other pictographs: kept as a generic token so "🙃🙃" is not silently empty. */
const OTHER_EMOJI = /\p{Extended_Pictographic}/gu;
/** Letters joined by one repeated separator: b.i.t.c.h, s-l-a-g, c_u_n_t. */
const SEPARATED = /^[\p{L}\p{N}@$](?:([.\-_*·•,'~/])[\p{L}\p{N}@$])(?:\1[\p{L}\p{N}@$])+\1?$/u;
const MASK_CHARS = /[*#%•·]/;

/** Targets indexed by first letter for mask matching. */
const TARGETS_BY_FIRST = new Map<string, string[]>();
for (const t of OBFUSCATED_TARGETS) {
  const k = t[0] ?? "";
  const list = TARGETS_BY_FIRST.get(k) ?? [];
  list.push(t);
  TARGETS_BY_FIRST.set(k, list);
}

/** Collapses runs of 3+ identical characters to 2, then to 1 if that gives a known target. */
function squeeze(w: string): string {
  const two = w.replace(/(.)\1{2,}/g, "$1$1");
  if (isTarget(two)) return two;
  const one = two.replace(/(.)\1+/g, "$1");
  if (one !== two && isTarget(one)) return one;
  return two;
}

/** Restores a masked word ("b*tch", "f**king") when exactly one target fits the mask. */
function unmask(w: string): string {
  const first = w[0] ?? "";
  const candidates = TARGETS_BY_FIRST.get(first);
  const pattern = w
    .split(/([*#%•·]+)/)
    .map((part, i) => (i % 2 === 1 ? `[a-z]{${Math.max(1, part.length - 1)},${part.length + 1}}` : part))
    .join("");
  if (candidates && /^[a-z]+(?:[*#%•·]+[a-z]*)+$/.test(w)) {
    const re = new RegExp(`^${pattern}$`);
    const hits = candidates.filter((c) => re.test(c));
    const hit = hits[0];
    if (hit !== undefined && hits.every((h) => h.length === hit.length)) return hit;
  }
  return w.replace(/[*#%•·]+/g, "");
}

/** Applies leetspeak substitutions to a token that contains at least one letter. */
function unleet(w: string): string {
  if (!/[a-z]/.test(w) || !/[0-9@$!|+€£]/.test(w)) return w;
  // A trailing digit run on a word ("matt2", "team1") is more often a name than leet; keep it.
  let out = "";
  for (const ch of w) out += LEET[ch] ?? ch;
  if (/^[a-z]+[0-9]+$/.test(w) && !isTarget(squeeze(out))) return w;
  return out;
}

/** Normalises one whitespace-separated (lower-case) chunk into zero or more tokens. */
function normalizeChunk(chunk: string, out: string[]): void {
  if (PLAIN_WORD.test(chunk)) {
    out.push(DOUBLE.test(chunk) ? squeeze(chunk) : chunk);
    return;
  }
  if (chunk === "+1" || chunk === "++" || chunk === "+100") {
    out.push("+1");
    return;
  }
  let w = chunk;
  if (SEPARATED.test(w)) w = w.replace(/[.\-_*·•,'~/]/g, "");
  // Split off leading/trailing punctuation; keep "?" and "!" as tokens (questions and exclamations matter).
  const m = /^([^\p{L}\p{N}@$*#]*)(.*?)([^\p{L}\p{N}*#%]*)$/u.exec(w);
  let core = m?.[2] ?? w;
  const trail = m?.[3] ?? "";
  // "#metoo", "@dave" are a tag and a mention unless the symbol is leet for a target ("@ss").
  if (/^[#@][a-z]/.test(core) && !(core[0] === "@" && isTarget(squeeze(unleet(core))))) core = core.slice(1);
  if (core.length > 0) {
    if (MASK_CHARS.test(core) && /[a-z]/.test(core)) core = unmask(core);
    core = unleet(core);
    // Words joined by punctuation ("that's", "re-tweet") stay one token; other punctuation splits.
    for (const part of core.split(/[^a-z0-9'_]+/)) {
      const p = part.replace(/^'+|'+$/g, "");
      if (p.length > 0) out.push(squeeze(p));
    }
  }
  if (trail.includes("?")) out.push("?");
  else if (trail.includes("!")) out.push("!");
}

/** The longest spelled-out word looked for; bounds the work on a long run of single letters. */
const MAX_SPELLED = 16;

/** Printable ASCII, tabs and line ends only, and no "&" (which may start an HTML entity). */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 || c > 0x7e || c === 38) && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** A token the normaliser may join with its neighbours: one letter a-z ("s l a g"). */
export function isSingleLetter(t: string): boolean {
  if (t.length !== 1) return false;
  const c = t.charCodeAt(0);
  return c >= 97 && c <= 122;
}

// Chat vocabulary is Zipfian: most chunks repeat, so their normalised tokens are memoised. The cache
// is cleared when full, which bounds memory and cannot change any result.
const CHUNK_CACHE = new Map<string, string[]>();
const CHUNK_CACHE_MAX = 50_000;

function normalizeChunkCached(chunk: string, out: string[]): void {
  let toks = CHUNK_CACHE.get(chunk);
  if (toks === undefined) {
    toks = [];
    normalizeChunk(chunk, toks);
    if (CHUNK_CACHE.size >= CHUNK_CACHE_MAX) CHUNK_CACHE.clear();
    if (chunk.length <= 40) CHUNK_CACHE.set(chunk, toks);
  }
  for (const t of toks) out.push(t);
}

/** Joins runs of single letters ("s l a g") where they spell a known target, or when the run is long. */
function joinSpacedLetters(tokens: string[]): string[] {
  // Most messages have no run of three single letters: nothing to join, no copy.
  let run = 0;
  let longest = 0;
  for (const t of tokens) {
    run = isSingleLetter(t) ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (longest < 3) return tokens;
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (j < tokens.length && isSingleLetter(tokens[j] ?? "")) j++;
    if (j - i < 3) {
      const end = Math.max(j, i + 1);
      for (; i < end; i++) out.push(tokens[i] ?? "");
      continue;
    }
    const run = tokens.slice(i, j);
    const pieces: string[] = [];
    let matched = false;
    let k = 0;
    while (k < run.length) {
      let best = -1;
      for (let e = Math.min(run.length, k + MAX_SPELLED); e >= k + 3; e--) {
        if (isTarget(squeeze(run.slice(k, e).join("")))) {
          best = e;
          break;
        }
      }
      if (best > 0) {
        pieces.push(squeeze(run.slice(k, best).join("")));
        matched = true;
        k = best;
      } else {
        pieces.push(run[k] ?? "");
        k++;
      }
    }
    if (matched) out.push(...pieces);
    else if (run.length >= 5) out.push(squeeze(run.join("")));
    else out.push(...run);
    i = j;
  }
  return out;
}

/**
 * Normalises a message to lower-case tokens: words (`[a-z0-9'_]`), `emoji_*` tokens, `+1`, `?`, `!`.
 * Pure and deterministic; the output is what features and reasons are computed from.
 */
export function normalizeTokens(text: string): string[] {
  const tokens: string[] = [];
  // Fast path for plain printable ASCII (most chat): no emoji, look-alikes or accents to undo.
  if (isPlainAscii(text)) {
    // Chunks are the runs between whitespace (space, tab, CR, LF: the only ones plain ASCII has).
    const lower = text.toLowerCase();
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 32;
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        if (start >= 0) normalizeChunkCached(lower.slice(start, i), tokens);
        start = -1;
      } else if (start < 0) {
        start = i;
      }
    }
    return joinSpacedLetters(tokens);
  }
  for (const chunk of unobfuscate(text).split(/\s+/)) {
    if (chunk.length > 0) normalizeChunkCached(chunk, tokens);
  }
  return joinSpacedLetters(tokens);
}

/**
 * Undoes entities, emoji, look-alikes, accents and invisible characters, and lower-cases. Applied to
 * the whole text or to each of its pieces between ASCII white space gives the same pieces: no step
 * looks across ASCII white space (entities and emoji contain none; a space is a stable point for
 * Unicode normalisation and ends the context of the final-sigma rule; the rest is per character).
 */
function unobfuscate(text: string): string {
  let s = text.replace(/&(?:#(\d{1,6})|amp|lt|gt|quot|apos);/g, (m, code: string | undefined) =>
    code !== undefined ? String.fromCodePoint(Math.min(Number(code), 0x10ffff)) : (ENTITIES[m] ?? m),
  );
  s = s.replace(EMOJI_RE, (e) => ` ${EMOJI_MAP.get(e.replace(/\u{fe0f}/gu, "")) ?? "emoji_other"} `);
  s = s.normalize("NFKC").replace(INVISIBLE, "");
  s = s.normalize("NFD").replace(COMBINING, "").toLowerCase();
  let mapped = "";
  for (const ch of s) mapped += CONFUSABLES[ch] ?? ch;
  return mapped.replace(OTHER_EMOJI, " emoji_other ");
}

/**
 * The tokens of one piece of a message between ASCII white space (space, tab, CR, LF), before single
 * letters are joined: normalizeTokens(text) is joinSpacedLetters of these pieces' tokens in order.
 */
export function normalizePiece(piece: string, out: string[]): void {
  if (isPlainAscii(piece)) {
    normalizeChunk(piece.toLowerCase(), out);
    return;
  }
  for (const chunk of unobfuscate(piece).split(/\s+/)) if (chunk.length > 0) normalizeChunk(chunk, out);
}

/** {@link normalizeTokens} joined with single spaces. */
export function normalizeText(text: string): string {
  return normalizeTokens(text).join(" ");
}
