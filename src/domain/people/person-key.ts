/**
 * @module person-key
 * Normalised keys for matching people by name or phone number across cases and chat exports. The rules
 * are the chat parser's author key (FORMATS.md 1.5), so a subject typed in by intake matches the same
 * person's `chat_participants.author_key`: invisible direction marks and the iOS "~ " prefix removed,
 * NFC, case-folded, whitespace collapsed; a phone number becomes its digits, with "+" if it had one.
 * Accents and punctuation are kept, as the parser keeps them.
 */

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const PHONE = /^\+?[\d\s\u00a0\u202f\u2009\u2010\u2011\u2012\u2013().-]+$/;

/** The matching key of a name or phone number ("" when nothing is left). */
export function personKey(nameOrPhone: string): string {
  let s = nameOrPhone.replace(MARKS, "").normalize("NFC").trim();
  if (s.startsWith("~")) s = s.slice(1).replace(/^[\s\u00a0\u202f]+/, "");
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, "");
    if (digits.length >= 5) return (s.startsWith("+") ? "+" : "") + digits;
  }
  return s.toLowerCase().replace(/\s+/g, " ");
}
