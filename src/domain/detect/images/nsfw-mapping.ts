/**
 * @module nsfw-mapping
 * Maps the five nsfwjs classes onto the product's three image classes, and decides whether an image
 * likely shows a real person. Pure: plain numbers in, plain numbers out.
 *
 * Mapping (ADR 020):
 * - explicit score   = Porn + Hentai   (sexual acts or nudity, photographed or drawn)
 * - suggestive score = Sexy            (sexualised but not pornographic)
 * - neutral score    = Neutral + Drawing
 *
 * Decision: `explicit` when the explicit score is at least 0.5; otherwise `suggestive` when explicit +
 * suggestive together are at least 0.5 (most of the mass is sexual, even if split between the two);
 * otherwise `neutral`. The raw five probabilities travel with the result as its reasons.
 */
import type { ImageClass } from "../../../contract/detection.ts";

export const NSFW_CLASS_NAMES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"] as const;
export type NsfwClassName = (typeof NSFW_CLASS_NAMES)[number];
export type NsfwProbabilities = Record<NsfwClassName, number>;

export interface ImageClassScores {
  explicit: number;
  suggestive: number;
  neutral: number;
}

/** Threshold on the explicit score, and on explicit + suggestive, for the two flagged classes. */
export const CLASS_THRESHOLD = 0.5;

/** Share of drawn content (Drawing + Hentai) at or above which an image is treated as not a photograph. */
export const DRAWN_THRESHOLD = 0.5;

/**
 * Groups nsfwjs probabilities into explicit / suggestive / neutral scores and picks the class.
 * Probabilities need not sum exactly to 1 (float rounding); scores are taken as given.
 */
export function mapNsfwToImageClass(p: NsfwProbabilities): { class: ImageClass; scores: ImageClassScores } {
  const scores: ImageClassScores = {
    explicit: p.Porn + p.Hentai,
    suggestive: p.Sexy,
    neutral: p.Neutral + p.Drawing,
  };
  let cls: ImageClass = "neutral";
  if (scores.explicit >= CLASS_THRESHOLD) cls = "explicit";
  else if (scores.explicit + scores.suggestive >= CLASS_THRESHOLD) cls = "suggestive";
  return { class: cls, scores };
}

/**
 * A real person is likely shown when at least one face was detected and the image is not mostly a
 * drawing (Drawing + Hentai below DRAWN_THRESHOLD). The face detector also fires on animal faces and
 * face-like patterns, so this is a hint for an investigator, not a finding.
 */
export function isRealPersonLikely(faces: number, p: NsfwProbabilities): boolean {
  return faces > 0 && p.Drawing + p.Hentai < DRAWN_THRESHOLD;
}

/**
 * Turns nsfwjs's `[{ className, probability }]` list into a complete record; a class the model did
 * not report counts as 0. Unknown class names are ignored.
 */
export function toNsfwProbabilities(
  predictions: ReadonlyArray<{ className: string; probability: number }>,
): NsfwProbabilities {
  const out: NsfwProbabilities = { Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0, Sexy: 0 };
  for (const { className, probability } of predictions) {
    const name = NSFW_CLASS_NAMES.find((n) => n === className);
    if (name) out[name] = probability;
  }
  return out;
}
