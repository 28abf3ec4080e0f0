/**
 * @module detection
 * The wire shape of `upstander classify` and `classify-image` results, shared by the CLI, the analysis
 * and the HTTP API. Categories and stances are closed sets.
 */
import { z } from "zod";

export const TEXT_CATEGORIES = [
  "sexual",
  "misogyny",
  "racism",
  "homophobia",
  "derogatory",
  "threat",
] as const;
export type TextCategory = (typeof TEXT_CATEGORIES)[number];

export const STANCES = ["challenge", "endorse", "neutral"] as const;
export type Stance = (typeof STANCES)[number];

export const ClassifyInputSchema = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
  replyTo: z.string().optional(),
});
export type ClassifyInput = z.infer<typeof ClassifyInputSchema>;

/**
 * The evidence of the one reason given for a flagged category that no word or word pair of the
 * message explains (none adds MIN_REASON_WEIGHT, 0.05, to its logit). Its weight is the part of the
 * logit no word accounts for: the category's bias and the message-length feature, i.e. what the model
 * gives any message of that length. It may be negative: the flag then comes from the category's
 * threshold lying at or below that score, not from the text. Not text from the message.
 */
export const BASE_RATE_EVIDENCE = "(no word: the category's score for any message of this length)";

export const ReasonSchema = z.object({
  category: z.string(),
  evidence: z.string(),
  weight: z.number(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const ScoresSchema = z.object({
  sexual: z.number(),
  misogyny: z.number(),
  racism: z.number(),
  homophobia: z.number(),
  derogatory: z.number(),
  threat: z.number(),
});

export const ClassifyResultSchema = z.object({
  id: z.union([z.string(), z.number()]),
  scores: ScoresSchema,
  flagged: z.array(z.enum(TEXT_CATEGORIES)),
  reasons: z.array(ReasonSchema),
  stance: z.object({ challenge: z.number(), endorse: z.number(), neutral: z.number() }).optional(),
  error: z.string().optional(),
});
export type ClassifyResult = z.infer<typeof ClassifyResultSchema>;

export const IMAGE_CLASSES = ["explicit", "suggestive", "neutral"] as const;
export type ImageClass = (typeof IMAGE_CLASSES)[number];

export const ImageResultSchema = z.object({
  file: z.string(),
  sha256: z.string().optional(),
  class: z.enum(IMAGE_CLASSES).optional(),
  scores: z.object({ explicit: z.number(), suggestive: z.number(), neutral: z.number() }).optional(),
  /** Raw nsfwjs probabilities (Porn, Hentai, Sexy, Drawing, Neutral) kept as reasons. */
  nsfw: z.record(z.string(), z.number()).optional(),
  faces: z.number().int().optional(),
  realPersonLikely: z.boolean().optional(),
  phash: z.string().optional(),
  ocrText: z.string().optional(),
  text: ClassifyResultSchema.omit({ id: true }).optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /**
   * Checks that were on but deliberately not run on this image, with the reason, so that an absent
   * `faces` / `realPersonLikely` / `ocrText` reads as "not checked", never as "no face" or "no text".
   */
  notChecked: z.object({ faces: z.string().optional(), ocr: z.string().optional() }).optional(),
  error: z.string().optional(),
});
export type ImageResult = z.infer<typeof ImageResultSchema>;
