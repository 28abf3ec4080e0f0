/**
 * @module author
 * Author names as written, and a normalised key for matching one person across exports
 * (FORMATS.md 1.5): NFC, case-folded, invisible marks and the iOS "~ " non-contact prefix removed;
 * a phone number becomes its digits with a leading "+" when it had one.
 */

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const PHONE = /^\+?[\d\s\u00a0\u202f\u2009\u2010\u2011\u2012\u2013().-]+$/;

/** The author with invisible marks removed (what the record's `author` holds). */
export function cleanAuthor(raw: string): string {
  return raw.replace(MARKS, "").trim();
}

/** The normalised matching key for an author. */
export function authorKeyOf(author: string): string {
  let s = author.replace(MARKS, "").normalize("NFC").trim();
  if (s.startsWith("~")) s = s.slice(1).replace(/^[\s\u00a0\u202f]+/, "");
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, "");
    if (digits.length >= 5) return (s.startsWith("+") ? "+" : "") + digits;
  }
  return s.toLowerCase().replace(/\s+/g, " ");
}
