/**
 * @module header
 * Byte-level tokeniser for WhatsApp header lines (FORMATS.md 1.2-1.4, 1.10). Works on the raw UTF-8
 * bytes so a line is only decoded once we know where its header ends. Invisible marks (LRM, RLM, BOM,
 * LRE..RLO, isolates) are skipped wherever a token may start; U+0020, U+00A0, U+2009 and U+202F count
 * as one space class. The tokeniser only reads shapes; calendar validity is checked by the caller once
 * the file's date order is known.
 */

import {
  isDigit,
  isLetter,
  matchBytes,
  readNum,
  skipMarks,
  skipSpaces,
  spaceLen,
  startsWithAscii,
} from "./utf8-bytes.ts";

export const YEAR_LAST = 0;
export const YEAR_FIRST = 1;
export const YEAR_MIDDLE = 2;

export const CONN_COMMA = 0;
export const CONN_SPACE = 1;
export const CONN_A = 2;
export const CONN_KLO = 3;
export const CONN_DASH = 4;

export const SEP_DASH = 0;
export const SEP_BRACKET = 1;
export const SEP_COLON = 2;
export const SEP_SEMI = 3;
export const SEP_SPACE = 4;

export const MER_NONE = 0;
export const MER_AM = 1;
export const MER_PM = 2;
/** German "nachts" / pt "da noite": night; the hour decides which side of midnight. */
export const MER_NIGHT = 3;
/** German "mittags": around noon. */
export const MER_NOON = 4;

/** The result of tokenising one line; a single instance is reused to avoid allocation per line. */
export class HeaderMatch {
  f1 = 0;
  f2 = 0;
  f3 = 0;
  yearPos = YEAR_LAST;
  /** Whether the year field has 4 digits (otherwise 2-digit year = 20yy). */
  year4 = false;
  hour = 0;
  minute = 0;
  second = 0;
  hasSeconds = false;
  meridiem = MER_NONE;
  bracket = false;
  conn = CONN_COMMA;
  timeDot = false;
  sep = SEP_DASH;
  /** Byte index where REST (author/body) starts. */
  restStart = 0;
  /** Small integer identifying the header shape (everything but the numbers). */
  shape = 0;
  /** Byte index where the date starts (after marks and bracket), for messages. */
  dateStart = 0;
}

/** Shapes of the same family (bracket and separator) may mix within a file (timelinize fixture). */
export function shapeFamily(shape: number): number {
  return shape & 0xf;
}

/** Human-readable description of a shape, for evidence strings and the CLI summary. */
export function describeShape(shape: number): string {
  const bracket = (shape & 1) === 1;
  const sep = (shape >> 1) & 7;
  const conn = (shape >> 4) & 7;
  const yearPos = (shape >> 7) & 3;
  const timeDot = ((shape >> 9) & 1) === 1;
  const secs = ((shape >> 10) & 1) === 1;
  const mer = ((shape >> 11) & 1) === 1;
  const date = yearPos === YEAR_FIRST ? "Y-M-D" : yearPos === YEAR_MIDDLE ? "A-Y-B" : "A-B-Y";
  const connS = [", ", " ", " à ", " klo ", " - "][conn] ?? "?";
  const t = timeDot ? (secs ? "HH.MM.SS" : "HH.MM") : secs ? "HH:MM:SS" : "HH:MM";
  const sepS = ["' - '", "'] '", "': '", "'; '", "' '"][sep] ?? "?";
  return `${bracket ? "[" : ""}${date}${connS}${t}${mer ? " AM/PM" : ""} then ${sepS}`;
}

/** Word-meridiem spellings: German (WhatsR) and Portuguese; UTF-8 bytes of the non-ASCII ones given. */
const WORD_MERIDIEMS: readonly (readonly [number[], number])[] = [
  ["vorm.", MER_AM],
  ["morgens", MER_AM],
  ["nachm.", MER_PM],
  ["mittags", MER_NOON],
  ["abends", MER_PM],
  ["nachts", MER_NIGHT],
  ["da tarde", MER_PM],
  ["da noite", MER_NIGHT],
].map(([w, m]) => [Array.from(new TextEncoder().encode(String(w))), Number(m)] as const);
const DA_MANHA = Array.from(new TextEncoder().encode("da manhã"));

/**
 * Tokenises the header at the start of `b[start, end)` into `m`. Returns false when the line does not
 * start with a header shape. Hour/minute ranges are checked here (hour <= 23, minute/second <= 59);
 * the date's calendar validity is not.
 */
export function tokeniseHeader(b: Uint8Array, start: number, end: number, m: HeaderMatch): boolean {
  let i = skipMarks(b, start, end);
  m.bracket = b[i] === 0x5b;
  if (m.bracket) i = skipMarks(b, i + 1, end);
  m.dateStart = i;
  // Date: three numeric fields with one repeated separator (/ . - ,), optional space after '.'.
  const n1 = readNum(b, i, end, 4);
  if (n1 < 0) return false;
  const l1 = n1 & 7;
  i += l1;
  const dsep = b[i];
  if (dsep !== 0x2f && dsep !== 0x2e && dsep !== 0x2d && dsep !== 0x2c) return false;
  i++;
  const dotSpace = dsep === 0x2e && b[i] === 0x20;
  if (dotSpace) i++;
  i = skipMarks(b, i, end);
  const n2 = readNum(b, i, end, 4);
  if (n2 < 0) return false;
  const l2 = n2 & 7;
  i += l2;
  if (b[i] !== dsep) return false;
  i++;
  if (dotSpace) {
    if (b[i] !== 0x20) return false;
    i++;
  }
  const n3 = readNum(b, i, end, 4);
  if (n3 < 0) return false;
  const l3 = n3 & 7;
  i += l3;
  if (l1 === 4 && l2 <= 2 && l3 <= 2) m.yearPos = YEAR_FIRST;
  else if (l2 === 4 && l1 <= 2 && l3 <= 2) m.yearPos = YEAR_MIDDLE;
  else if (l1 <= 2 && l2 <= 2 && (l3 === 4 || l3 === 2)) m.yearPos = YEAR_LAST;
  else return false;
  m.year4 = l1 === 4 || l2 === 4 || l3 === 4;
  m.f1 = n1 >> 3;
  m.f2 = n2 >> 3;
  m.f3 = n3 >> 3;
  // Czech/Hungarian/Slovak "13. 6. 2018." ends the date with a dot.
  if (dotSpace && b[i] === 0x2e) i++;
  i = skipMarks(b, i, end);
  // Connector between date and time.
  if (b[i] === 0x2c) {
    m.conn = CONN_COMMA;
    i = skipSpaces(b, i + 1, end);
  } else {
    const s = spaceLen(b, i, end);
    if (s === 0) return false;
    i = skipSpaces(b, i, end);
    if (b[i] === 0xc3 && b[i + 1] === 0xa0 && spaceLen(b, i + 2, end) > 0) {
      m.conn = CONN_A;
      i = skipSpaces(b, i + 2, end);
    } else if (startsWithAscii(b, i, end, "klo") && spaceLen(b, i + 3, end) > 0) {
      m.conn = CONN_KLO;
      i = skipSpaces(b, i + 3, end);
    } else if (b[i] === 0x2d && spaceLen(b, i + 1, end) > 0) {
      m.conn = CONN_DASH;
      i = skipSpaces(b, i + 1, end);
    } else m.conn = CONN_SPACE;
  }
  // Time: H[H] sep MM [sep SS], sep ':' or '.'.
  const h = readNum(b, i, end, 2);
  if (h < 0) return false;
  i += h & 7;
  const tsep = b[i];
  if (tsep !== 0x3a && tsep !== 0x2e) return false;
  m.timeDot = tsep === 0x2e;
  i++;
  if (!isDigit(b[i]) || !isDigit(b[i + 1]) || isDigit(b[i + 2])) return false;
  m.hour = h >> 3;
  m.minute = ((b[i] ?? 0) - 0x30) * 10 + ((b[i + 1] ?? 0) - 0x30);
  i += 2;
  m.hasSeconds = false;
  m.second = 0;
  if (b[i] === tsep && isDigit(b[i + 1]) && isDigit(b[i + 2]) && !isDigit(b[i + 3])) {
    m.second = ((b[i + 1] ?? 0) - 0x30) * 10 + ((b[i + 2] ?? 0) - 0x30);
    m.hasSeconds = true;
    i += 3;
  }
  if (m.hour > 23 || m.minute > 59 || m.second > 59) return false;
  i = readMeridiem(b, i, end, m);
  i = skipMarks(b, i, end);
  if (!readSeparator(b, i, end, m)) return false;
  m.shape =
    (m.bracket ? 1 : 0) |
    (m.sep << 1) |
    (m.conn << 4) |
    (m.yearPos << 7) |
    ((m.timeDot ? 1 : 0) << 9) |
    ((m.hasSeconds ? 1 : 0) << 10) |
    ((m.meridiem !== MER_NONE ? 1 : 0) << 11);
  return true;
}

/** Reads an optional meridiem after the time; returns the index after it (unchanged if none). */
function readMeridiem(b: Uint8Array, i: number, end: number, m: HeaderMatch): number {
  m.meridiem = MER_NONE;
  const j = skipSpaces(b, i, end);
  if (j === i) return i;
  const c = b[j];
  if (c === 0x61 || c === 0x41 || c === 0x70 || c === 0x50) {
    // AM, am, a.m., a. m., a.\u00A0m.
    let k = j + 1;
    if (b[k] === 0x2e) k = skipSpaces(b, k + 1, end);
    if (b[k] === 0x6d || b[k] === 0x4d) {
      k++;
      if (b[k] === 0x2e) k++;
      if (!isLetter(b[k])) {
        m.meridiem = c === 0x61 || c === 0x41 ? MER_AM : MER_PM;
        return k;
      }
    }
    if (c !== 0x61) return i;
  }
  // Word meridiems start with v, m, n, a or d; anything else (e.g. the '-' of " - ") is not one.
  if (c !== 0x76 && c !== 0x6d && c !== 0x6e && c !== 0x64 && c !== 0x61) return i;
  if (matchBytes(b, j, end, DA_MANHA)) {
    m.meridiem = MER_AM;
    return j + DA_MANHA.length;
  }
  for (const [bytes, mer] of WORD_MERIDIEMS) {
    if (matchBytes(b, j, end, bytes)) {
      m.meridiem = mer;
      return j + bytes.length;
    }
  }
  return i;
}

/** Reads the separator between the timestamp and REST: "] ", " - ", ": ", "; " or " ". */
function readSeparator(b: Uint8Array, i: number, end: number, m: HeaderMatch): boolean {
  if (m.bracket) {
    if (b[i] !== 0x5d) return false;
    i++;
    if (i >= end || b[i] === 0x0d) {
      m.restStart = i;
    } else {
      const s = spaceLen(b, i, end);
      if (s === 0) return false;
      m.restStart = i + s;
    }
    m.sep = SEP_BRACKET;
    return true;
  }
  const c = b[i];
  if (c === 0x3a || c === 0x3b) {
    const s = spaceLen(b, i + 1, end);
    if (s === 0) return false;
    m.sep = c === 0x3a ? SEP_COLON : SEP_SEMI;
    m.restStart = i + 1 + s;
    return true;
  }
  const s = spaceLen(b, i, end);
  if (s === 0) return false;
  const j = skipMarks(b, i + s, end);
  if (b[j] === 0x2d) {
    const k = j + 1;
    if (k >= end || b[k] === 0x0d) {
      m.restStart = k;
      m.sep = SEP_DASH;
      return true;
    }
    const s2 = spaceLen(b, k, end);
    if (s2 > 0) {
      m.sep = SEP_DASH;
      m.restStart = k + s2;
      return true;
    }
  }
  m.sep = SEP_SPACE;
  m.restStart = i + s;
  return true;
}

/** Whether a line could start a header at all: '[', a digit, or the lead byte of an invisible mark. */
export function mayStartHeader(c: number | undefined): boolean {
  return c === 0x5b || (c !== undefined && c >= 0x30 && c <= 0x39) || c === 0xe2 || c === 0xef;
}
