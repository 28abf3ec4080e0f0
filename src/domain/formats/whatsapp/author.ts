/**
 * @module author
 * Author names as written, and a normalised key for matching one person across exports
 * (FORMATS.md 1.5): NFC, case-folded, invisible marks and the iOS "~ " non-contact prefix removed;
 * a phone number becomes its digits with a leading "+" when it had one.
 */

import { personKey } from "../../people/person-key.ts";

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The author with invisible marks removed (what the record's `author` holds). */
export function cleanAuthor(raw: string): string {
  return raw.replace(MARKS, "").trim();
}

/**
 * The normalised matching key for an author: the same key intake computes for a subject's or a user's
 * name (domain/people/person-key.ts), so people in chat evidence match people in cases.
 */
export const authorKeyOf = personKey;
