/**
 * @module teamchat-schema
 * The record shapes of the project's own labelled team-chat set (messages.jsonl, replies.jsonl).
 */
import { z } from "zod";
import { STANCES, TEXT_CATEGORIES } from "../../../src/contract/detection.ts";

export const HARD_CASES = [
  "counter_speech",
  "negation",
  "neutral_identity",
  "profanity_not_abuse",
  "obfuscation",
  "reclaimed",
  "jargon",
  "banter_benign",
  "context_dependent",
] as const;
export type HardCase = (typeof HARD_CASES)[number];

export const SPLITS = ["train", "test"] as const;

export const MessageRecordSchema = z
  .object({
    id: z.string().regex(/^m\d{4,}$/),
    text: z.string().min(1),
    labels: z.array(z.enum(TEXT_CATEGORIES)),
    split: z.enum(SPLITS),
    hard: z.enum(HARD_CASES).optional(),
  })
  .strict()
  .refine((r) => new Set(r.labels).size === r.labels.length, { message: "repeated label" });
export type MessageRecord = z.infer<typeof MessageRecordSchema>;

export const ReplyRecordSchema = z
  .object({
    id: z.string().regex(/^r\d{4,}$/),
    parent: z.string().min(1),
    reply: z.string().min(1),
    stance: z.enum(STANCES),
    split: z.enum(SPLITS),
  })
  .strict();
export type ReplyRecord = z.infer<typeof ReplyRecordSchema>;
