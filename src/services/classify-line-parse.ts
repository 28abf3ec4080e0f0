/**
 * @module classify-line-parse
 * A parser for the one shape nearly every `upstander classify` input line has:
 * `{"id":<string|number>,"text":"...","replyTo":"..."}` (replyTo optional), keys in that order, no
 * white space. It reads the line in place instead of having JSON.parse build a generic object for it.
 * For any other line (other keys or order, white space, anything invalid) it returns undefined and
 * the caller goes through JSON.parse; what it returns is always exactly what JSON.parse would give
 * (src/services/classify-line-parse.test.ts compares the two on generated and hostile lines).
 */
import type { ClassifyInput } from "../contract/detection.ts";

const QUOTE = 34;
const BACKSLASH = 92;

/** Where the last string read by readString ended (just after its closing quote). */
let strEnd = 0;

/** Value of a hex digit, or -1. */
function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The JSON string whose opening quote is at `at`, decoded; undefined when it is not a valid JSON
 * string. Sets strEnd.
 */
function readString(s: string, at: number): string | undefined {
  if (s.charCodeAt(at) !== QUOTE) return undefined;
  const begin = at + 1;
  let i = begin;
  // The common case: no escapes, one slice.
  for (;;) {
    if (i >= s.length) return undefined;
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      strEnd = i + 1;
      return s.slice(begin, i);
    }
    if (c === BACKSLASH) break;
    if (c < 32) return undefined;
    i++;
  }
  let out = s.slice(begin, i);
  let from = i;
  for (;;) {
    if (i >= s.length) return undefined;
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      strEnd = i + 1;
      return out + s.slice(from, i);
    }
    if (c < 32) return undefined;
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    out += s.slice(from, i);
    const e = s.charCodeAt(i + 1);
    let ch: number;
    let len = 2;
    switch (e) {
      case QUOTE:
      case BACKSLASH:
      case 47: // "/"
        ch = e;
        break;
      case 98: // b
        ch = 8;
        break;
      case 102: // f
        ch = 12;
        break;
      case 110: // n
        ch = 10;
        break;
      case 114: // r
        ch = 13;
        break;
      case 116: // t
        ch = 9;
        break;
      case 117: {
        // u: four hex digits, one UTF-16 code unit (a lone surrogate stays one, as in JSON.parse).
        const h0 = hex(s.charCodeAt(i + 2));
        const h1 = hex(s.charCodeAt(i + 3));
        const h2 = hex(s.charCodeAt(i + 4));
        const h3 = hex(s.charCodeAt(i + 5));
        if (h0 < 0 || h1 < 0 || h2 < 0 || h3 < 0) return undefined;
        ch = (h0 << 12) | (h1 << 8) | (h2 << 4) | h3;
        len = 6;
        break;
      }
      default:
        return undefined;
    }
    out += String.fromCharCode(ch);
    i += len;
    from = i;
  }
}

/** Where the JSON number starting at `at` ends; -1 when there is none. */
function numberEnd(s: string, at: number): number {
  let i = at;
  if (s.charCodeAt(i) === 45) i++; // "-"
  const first = s.charCodeAt(i);
  if (first === 48) {
    i++;
  } else if (first >= 49 && first <= 57) {
    while (isDigit(s.charCodeAt(i))) i++;
  } else {
    return -1;
  }
  if (s.charCodeAt(i) === 46) {
    // "."
    i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `s` has `lit` at `at` (char by char: startsWith() was a visible cost per line). */
function hasAt(s: string, at: number, lit: string): boolean {
  if (at + lit.length > s.length) return false;
  for (let i = 0; i < lit.length; i++) if (s.charCodeAt(at + i) !== lit.charCodeAt(i)) return false;
  return true;
}

/**
 * The input a line of the plain shape holds, exactly as JSON.parse (then ClassifyInputSchema) would
 * give it; undefined for any other line, which then needs the general path.
 */
export function parsePlainLine(s: string): ClassifyInput | undefined {
  if (!hasAt(s, 0, '{"id":')) return undefined;
  let i = 6;
  let id: string | number;
  if (s.charCodeAt(i) === QUOTE) {
    const v = readString(s, i);
    if (v === undefined) return undefined;
    id = v;
    i = strEnd;
  } else {
    const end = numberEnd(s, i);
    if (end < 0) return undefined;
    // Number() of a JSON number literal is the double JSON.parse gives (both round correctly).
    id = Number(s.slice(i, end));
    i = end;
  }
  if (!hasAt(s, i, ',"text":')) return undefined;
  const text = readString(s, i + 8);
  if (text === undefined) return undefined;
  i = strEnd;
  if (i === s.length - 1 && s.charCodeAt(i) === 125) return { id, text };
  if (!hasAt(s, i, ',"replyTo":')) return undefined;
  const replyTo = readString(s, i + 11);
  if (replyTo === undefined) return undefined;
  i = strEnd;
  if (i === s.length - 1 && s.charCodeAt(i) === 125) return { id, text, replyTo };
  return undefined;
}
