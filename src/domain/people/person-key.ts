/**
 * @module person-key
 * Normalised keys for matching people by name or phone number across cases and chat exports:
 * case-folded, accents removed, whitespace collapsed; a phone number keeps its leading "+" and digits.
 */

const PHONE_LIKE = /^[+\d][\d\s().-]{5,}$/;

/** The matching key of a name or phone number ("" when nothing is left). */
export function personKey(nameOrPhone: string): string {
  const s = nameOrPhone.normalize("NFKC").trim();
  if (PHONE_LIKE.test(s)) {
    const digits = s.replace(/\D/g, "");
    return s.startsWith("+") ? `+${digits}` : digits;
  }
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
