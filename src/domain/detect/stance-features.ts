/**
 * @module stance-features
 * Features for the stance of a reply towards the message it answers: the reply's own n-grams, flags
 * from small lexicons (laughter, "+1"-style agreement, challenge phrases, questions, negation), the
 * shape of the reply (emoji-only, very short), how much it repeats the parent, and the parent's own
 * toxicity crossed with those flags: "😂" under an abusive message is endorsement, under a holiday
 * photo it is not.
 */
import { addFlag, extractNgramFeatures, type FeatureBuffer, type FeatureConfig } from "./features.ts";

const LAUGH = /^(?:lol+|lo+l|lmf?ao+|rofl|kek|pmsl|ha(?:ha)+h?|a?ha+h+a*|he(?:he)+|hah|jaja+)$/;
const ENDORSE_WORDS = new Set([
  "+1",
  "this",
  "exactly",
  "agreed",
  "agree",
  "true",
  "facts",
  "based",
  "yes",
  "yep",
  "yeah",
  "same",
  "legend",
  "class",
  "quality",
  "brilliant",
  "love",
  "spot",
  "well",
  "preach",
  "amen",
  "correct",
  "emoji_fire",
  "emoji_100",
  "emoji_clap",
  "emoji_thumbsup",
  "emoji_ok",
  "emoji_handshake",
  "emoji_grin",
  "emoji_smirk",
  "emoji_wink",
  "emoji_hearteyes",
  "emoji_drool",
]);
const ENDORSE_PHRASES = [
  "get in",
  "so true",
  "well said",
  "spot on",
  "love it",
  "too right",
  "fair play",
  "100 percent",
  "this is it",
  "bang on",
  "hear hear",
];
const CHALLENGE_WORDS = new Set([
  "delete",
  "deleted",
  "report",
  "reporting",
  "reported",
  "inappropriate",
  "unacceptable",
  "offensive",
  "disgusting",
  "racist",
  "sexist",
  "homophobic",
  "misogynistic",
  "misogynist",
  "bigot",
  "bigoted",
  "wtf",
  "seriously",
  "stop",
  "enough",
  "wrong",
  "nope",
  "actually",
  "source",
  "evidence",
  "false",
  "grim",
  "vile",
  "gross",
  "yikes",
  "awkward",
  "hr",
  "professional",
  "standards",
  "emoji_eyeroll",
  "emoji_angry",
  "emoji_vomit",
  "emoji_thumbsdown",
  "emoji_redflag",
  "emoji_stop",
  "emoji_grimace",
  "emoji_raisedbrow",
  "emoji_neutral",
]);
const CHALLENGE_PHRASES = [
  "not on",
  "not funny",
  "not okay",
  "not ok",
  "not cool",
  "out of order",
  "out of line",
  "too far",
  "can't say",
  "cannot say",
  "can't call",
  "shouldn't say",
  "don't say",
  "don't talk",
  "pack it in",
  "knock it off",
  "leave it",
  "come on",
  "grow up",
  "not true",
  "why would you",
  "how is that",
  "not acceptable",
  "no need",
  "not appropriate",
  "wind your neck",
  "calm down",
  "give it a rest",
  "that's enough",
  "not the place",
];
const NEGATION = new Set([
  "not",
  "no",
  "never",
  "don't",
  "dont",
  "can't",
  "cant",
  "isn't",
  "won't",
  "shouldn't",
  "nothing",
]);

/**
 * The first word of each phrase: a phrase can only match where a token equals it (tokens hold no
 * spaces, and a match starts at a token), so most replies need no joined text at all.
 */
const ENDORSE_FIRST = new Set(ENDORSE_PHRASES.map((p) => p.split(" ")[0] ?? ""));
const CHALLENGE_FIRST = new Set(CHALLENGE_PHRASES.map((p) => p.split(" ")[0] ?? ""));

function hasAny(tokens: readonly string[], words: ReadonlySet<string>): boolean {
  for (const t of tokens) if (words.has(t)) return true;
  return false;
}

/**
 * Whether one of `phrases` occurs in `joined` (tokens joined by single spaces) as whole tokens.
 * Every occurrence is tried: the first may sit inside a longer token ("not only ... not on").
 * Exported for tests.
 */
export function hasPhrase(joined: string, phrases: readonly string[]): boolean {
  for (const p of phrases) {
    for (let i = joined.indexOf(p); i >= 0; i = joined.indexOf(p, i + 1)) {
      if (
        (i === 0 || joined[i - 1] === " ") &&
        (i + p.length === joined.length || joined[i + p.length] === " ")
      ) {
        return true;
      }
    }
  }
  return false;
}

/** The parent's toxicity as a coarse bucket, so crossings stay few and learnable. */
export function toxicityBucket(p: number): "low" | "mid" | "high" {
  return p < 0.2 ? "low" : p < 0.5 ? "mid" : "high";
}

const TOX_NAME = { low: "tox-low", mid: "tox-mid", high: "tox-high" } as const;
type ToxName = (typeof TOX_NAME)[keyof typeof TOX_NAME];

/** `${flag}|${tox}`, built once per pair: the same few flag names come up on every reply. */
const crossedNames: Record<ToxName, Map<string, string>> = {
  "tox-low": new Map(),
  "tox-mid": new Map(),
  "tox-high": new Map(),
};
function crossName(flag: string, tox: ToxName): string {
  const names = crossedNames[tox];
  const known = names.get(flag);
  if (known !== undefined) return known;
  const name = `${flag}|${tox}`;
  names.set(flag, name);
  return name;
}

const REPLY_TOX_NAME = { low: "reply-tox-low", mid: "reply-tox-mid", high: "reply-tox-high" } as const;

/** How many of `reply`'s tokens (counting repeats) occur in `parent`. */
function sharedCount(reply: string[], parent: string[]): number {
  let shared = 0;
  if (parent.length <= 16) {
    for (const t of reply) if (parent.includes(t)) shared++;
    return shared;
  }
  const ps = new Set(parent);
  for (const t of reply) if (ps.has(t)) shared++;
  return shared;
}

/**
 * Fills `buf` with the stance features of `reply` (normalised tokens) answering `parent`, whose
 * highest calibrated message score is `parentToxicity` (0-1); `replyToxicity` is the reply's own.
 */
export function extractStanceFeatures(
  reply: string[],
  parent: string[],
  parentToxicity: number,
  replyToxicity: number,
  cfg: FeatureConfig,
  buf: FeatureBuffer,
): void {
  extractNgramFeatures(reply, cfg, buf, 0x5a5a);
  const tox = toxicityBucket(parentToxicity);
  const flags: string[] = [];
  let laughs = 0;
  let emoji = 0;
  let endorseWords = 0;
  let challengeWords = 0;
  let negations = 0;
  for (const t of reply) {
    if (LAUGH.test(t)) laughs++;
    if (t.startsWith("emoji_")) emoji++;
    if (ENDORSE_WORDS.has(t)) endorseWords++;
    if (CHALLENGE_WORDS.has(t)) challengeWords++;
    if (NEGATION.has(t)) negations++;
  }
  let joined: string | undefined;
  const phrase = (phrases: readonly string[], first: ReadonlySet<string>): boolean =>
    hasAny(reply, first) && hasPhrase((joined ??= reply.join(" ")), phrases);
  const n = reply.length;
  if (n === 0) flags.push("empty");
  if (laughs > 0) flags.push("laugh");
  if (n > 0 && laughs + emoji === n) flags.push("only-laugh-or-emoji");
  if (laughs > 0 && laughs >= n - 1) flags.push("mostly-laugh");
  if (endorseWords > 0 || phrase(ENDORSE_PHRASES, ENDORSE_FIRST)) flags.push("endorse-lex");
  if (reply.includes("+1")) flags.push("plus-one");
  if (challengeWords > 0 || phrase(CHALLENGE_PHRASES, CHALLENGE_FIRST)) flags.push("challenge-lex");
  if (reply.includes("?")) flags.push("question");
  if (negations > 0) flags.push("negation");
  if (reply.includes("you") || reply.includes("u") || reply.includes("your")) flags.push("addresses-you");
  flags.push(n <= 3 ? "len-short" : n <= 12 ? "len-mid" : "len-long");
  if (parent.length > 0 && n > 0) {
    const r = sharedCount(reply, parent) / n;
    flags.push(r === 0 ? "overlap-none" : r < 0.5 ? "overlap-some" : "overlap-most");
  }
  // Each flag alone, then the parent's toxicity, the reply's own (a reply that is itself abusive,
  // under an abusive parent, is mostly joining in), and each flag crossed with the parent's.
  for (const f of flags) addFlag(buf, f, cfg);
  const toxName = TOX_NAME[tox];
  const replyToxName = REPLY_TOX_NAME[toxicityBucket(replyToxicity)];
  addFlag(buf, toxName, cfg);
  addFlag(buf, replyToxName, cfg);
  addFlag(buf, crossName(replyToxName, toxName), cfg);
  for (const f of flags) addFlag(buf, crossName(f, toxName), cfg);
}
