/**
 * @module victims
 * The victims worklist: images likely showing a real person, grouped when the same picture was posted
 * more than once (perceptual hash within a Hamming distance, or identical SHA-256), and flagged messages
 * that appear to target a named or described person. Each entry says why it is on the list, and carries
 * empty fields for the victims track (identification, notification decision, reason).
 */
import type { ImageGroup, ImageOccurrence, ItemCategory, TargetedMessage } from "../../contract/analysis.ts";

const PENDING = { identified: null, notificationDecision: "pending" as const, reason: "" };

/** Hamming distance between two hex-encoded perceptual hashes; Infinity when they cannot be compared. */
export function hammingHex(a: string, b: string): number {
  if (a.length !== b.length || !/^[0-9a-f]+$/i.test(a) || !/^[0-9a-f]+$/i.test(b)) {
    return Infinity;
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i] ?? "0", 16) ^ parseInt(b[i] ?? "0", 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Normalises a phash to hex: sharp-phash returns a 64-character bit string; others return hex. */
export function phashHex(p: string | null): string | null {
  if (!p) {
    return null;
  }
  if (/^[01]{64}$/.test(p)) {
    let out = "";
    for (let i = 0; i < 64; i += 4) {
      out += parseInt(p.slice(i, i + 4), 2).toString(16);
    }
    return out;
  }
  return /^[0-9a-f]+$/i.test(p) ? p.toLowerCase() : null;
}

/**
 * Groups images that are the same picture. Union-find over all pairs: O(n²) comparisons, about 2 million
 * for 2,000 images, which is fast enough and exact (no bucketing misses).
 */
export function groupImages(images: readonly ImageOccurrence[], maxDistance: number): ImageOccurrence[][] {
  const parent = images.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) {
      r = parent[r] ?? r;
    }
    parent[i] = r;
    return r;
  };
  const hex = images.map((im) => phashHex(im.phash));
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const a = images[i];
      const b = images[j];
      if (!a || !b) {
        continue;
      }
      const sameBytes = a.sha256 !== null && a.sha256 === b.sha256;
      const ha = hex[i];
      const hb = hex[j];
      const near =
        ha !== null &&
        ha !== undefined &&
        hb !== null &&
        hb !== undefined &&
        hammingHex(ha, hb) <= maxDistance;
      if (sameBytes || near) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, ImageOccurrence[]>();
  images.forEach((im, i) => {
    const r = find(i);
    const g = groups.get(r) ?? [];
    g.push(im);
    groups.set(r, g);
  });
  return [...groups.values()];
}

/** Image groups for the worklist: groups holding a flagged image that likely shows a real person. */
export function imageWorklist(images: readonly ImageOccurrence[], maxDistance: number): ImageGroup[] {
  const out: ImageGroup[] = [];
  for (const g of groupImages(images, maxDistance)) {
    const flagged = g.filter((o) => o.class === "explicit" || o.class === "suggestive");
    if (!flagged.some((o) => o.realPersonLikely === true)) {
      continue;
    }
    const reasons = [
      `classified ${[...new Set(flagged.map((o) => o.class))].join(" / ")} and likely shows a real person (a face detected in a photograph)`,
    ];
    if (g.length > 1) {
      const exports = new Set(g.map((o) => o.exportId));
      const people = new Set(g.map((o) => o.participant));
      reasons.push(
        `the same picture was posted ${g.length} times by ${people.size} participant(s)${exports.size > 1 ? ` in ${exports.size} exports` : ""} (perceptual hash within ${maxDistance} bits, or identical bytes)`,
      );
    }
    const first = g[0];
    out.push({
      id: `img-${first ? `${first.exportId}-${first.recordIndex}` : out.length}`,
      occurrences: g,
      reasons,
      victim: { ...PENDING },
    });
  }
  return out;
}

const NAME_RE = new Map<string, RegExp>();

/** A whole-word matcher for a name, compiled once per name. */
function nameRegExp(part: string): RegExp {
  let re = NAME_RE.get(part);
  if (!re) {
    re = new RegExp(`(^|[^\\p{L}])${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "u");
    NAME_RE.set(part, re);
  }
  return re;
}

/** Words that look like names at the start of a capitalised token but are not (police and chat vocabulary). */
const NOT_NAMES = new Set(
  "I Im I'm Ive OK Ok Lol LOL Omg OMG The This That These Those What When Where Why How Who Yes No Not Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December PC DC DS DI DCI Sgt Sarge Skipper Guv Ma'am Mate Lads Boss Christmas Xmas God Jesus Christ Haha Ha WhatsApp Oi Ah Oh Aye Cheers Thanks Sorry Please Just Did Don't Dont Can't Cant Is It He She They We You Well Right Good Nice Get Got Come Go Deleted Media Image".split(
    " ",
  ),
);

const DESCRIPTION =
  /\b(?:that|the|this|our|your)\s+(?:new\s+|young\s+|fit\s+)?(?:pc|dc|ds|sgt|sergeant|probationer|probie|recruit|student|trainee|officer|girl|woman|lass|bird|blonde|brunette|one|lady|cleaner|analyst|contractor|civvie|temp)(?:\s+(?:on|in|from|at)\s+(?:the\s+)?[\w-]+(?:\s+(?:team|desk|shift|unit))?)?/gi;

const PRONOUN = /\b(she|her|hers|herself|him|himself)\b/gi;

/**
 * Why a flagged text appears to be about a person. Heuristics, each explained; they over-report on
 * purpose (an investigator discards a wrong entry; a missed victim is never looked for).
 * @param participants display names of everyone in the chat
 * @param author who wrote it (naming oneself is not targeting)
 */
export function targetReasons(
  text: string,
  participants: readonly string[],
  author: string,
): TargetedMessage["reasons"] {
  const reasons: TargetedMessage["reasons"] = [];
  const known = new Set<string>();
  for (const p of participants) {
    if (p === author) {
      continue;
    }
    for (const part of [p, ...p.split(/\s+/)]) {
      if (part.length < 3 || NOT_NAMES.has(part)) {
        continue;
      }
      const re = nameRegExp(part);
      if (re.test(text)) {
        reasons.push({
          kind: "participant_named",
          evidence: part,
          explanation: `names a participant of the chat (${p})`,
        });
        known.add(part);
        break;
      }
    }
    for (const part of p.split(/\s+/)) {
      known.add(part);
    }
  }
  for (const m of text.matchAll(/(?<![.!?]\s)(?<=[ \t])([A-Z][a-z]{2,})\b/gu)) {
    const w = m[1] ?? "";
    if (known.has(w) || NOT_NAMES.has(w)) {
      continue;
    }
    reasons.push({
      kind: "other_name",
      evidence: w,
      explanation: `capitalised word "${w}" mid-sentence may name someone outside the chat`,
    });
    known.add(w);
  }
  for (const m of text.matchAll(DESCRIPTION)) {
    reasons.push({
      kind: "description",
      evidence: m[0],
      explanation: `describes a specific person ("${m[0]}")`,
    });
  }
  const pronouns = [...new Set([...text.matchAll(PRONOUN)].map((m) => (m[1] ?? "").toLowerCase()))];
  if (pronouns.length > 0) {
    reasons.push({
      kind: "pronoun",
      evidence: pronouns.join(", "),
      explanation: `refers to someone in the third person ("${pronouns.join('", "')}"), who may be identifiable from the surrounding messages`,
    });
  }
  return reasons;
}

/** Builds a targeted-message entry when any heuristic fires. */
export function targetedEntry(
  id: string,
  recordIndex: number,
  source: "text" | "ocr",
  text: string,
  participant: string,
  timestamp: string,
  categories: ItemCategory[],
  participants: readonly string[],
): TargetedMessage | null {
  const reasons = targetReasons(text, participants, participant);
  if (reasons.length === 0) {
    return null;
  }
  return { id, recordIndex, source, participant, timestamp, categories, reasons, victim: { ...PENDING } };
}
