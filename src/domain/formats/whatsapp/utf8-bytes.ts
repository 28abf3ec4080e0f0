/**
 * @module utf8-bytes
 * Byte-level helpers over UTF-8 lines: invisible marks and the space class recognised without decoding,
 * small number reads, and checks that let the parser avoid scanning decoded strings.
 */
import type { Buffer } from "node:buffer";

/** Bytes per invisible mark at `i`, or 0. */
export function markLen(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === 0xe2 && i + 2 < end) {
    const c1 = b[i + 1];
    const c2 = b[i + 2] ?? 0;
    if (c1 === 0x80 && (c2 === 0x8e || c2 === 0x8f || (c2 >= 0xaa && c2 <= 0xae))) return 3;
    if (c1 === 0x81 && c2 >= 0xa6 && c2 <= 0xa9) return 3;
  } else if (c === 0xef && i + 2 < end && b[i + 1] === 0xbb && b[i + 2] === 0xbf) return 3;
  return 0;
}

export function skipMarks(b: Uint8Array, i: number, end: number): number {
  let n = markLen(b, i, end);
  while (n > 0) {
    i += n;
    n = markLen(b, i, end);
  }
  return i;
}

/** Bytes of one space-class character at `i` (U+0020, U+00A0, U+2009, U+202F), or 0. */
export function spaceLen(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === 0x20) return 1;
  if (c === 0xc2 && b[i + 1] === 0xa0 && i + 1 < end) return 2;
  if (c === 0xe2 && i + 2 < end && b[i + 1] === 0x80 && (b[i + 2] === 0xaf || b[i + 2] === 0x89)) return 3;
  return 0;
}

/** Skips spaces and marks; returns the new index. */
export function skipSpaces(b: Uint8Array, i: number, end: number): number {
  for (;;) {
    const n = spaceLen(b, i, end) || markLen(b, i, end);
    if (n === 0) return i;
    i += n;
  }
}

export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

export function isLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80);
}

export function startsWithAscii(b: Uint8Array, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

export function matchBytes(b: Uint8Array, i: number, end: number, bytes: readonly number[]): boolean {
  if (i + bytes.length > end) return false;
  for (let k = 0; k < bytes.length; k++) if (b[i + k] !== bytes[k]) return false;
  return true;
}

/** Reads 1..max digits; returns [value, length] packed as value*8+len, or -1. */
export function readNum(b: Uint8Array, i: number, end: number, max: number): number {
  let v = 0;
  let n = 0;
  while (i + n < end && n < max && isDigit(b[i + n])) {
    v = v * 10 + ((b[i + n] ?? 0) - 0x30);
    n++;
  }
  if (n === 0 || isDigit(b[i + n])) return -1;
  return v * 8 + n;
}

export function stripCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

export function countChar(s: string, code: number): number {
  let n = 0;
  for (
    let i = s.indexOf(String.fromCharCode(code));
    i >= 0;
    i = s.indexOf(String.fromCharCode(code), i + 1)
  ) {
    n++;
  }
  return n;
}

/** Counts genuine U+FFFD characters (EF BF BD) in the bytes, so only replaced bytes become issues. */
export function countReplacementBytes(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0xef, start); i >= 0 && i + 2 < end; i = buf.indexOf(0xef, i + 1)) {
    if (buf[i + 1] === 0xbf && buf[i + 2] === 0xbd) n++;
  }
  return n;
}
