/**
 * @module date-order
 * Day-first vs month-first is never stated in a WhatsApp export (FORMATS.md 1.3, 1.10 "Ambiguity rule").
 * Pass 1 feeds every header's date fields into a DateEvidence; decideDateOrder() turns the evidence of
 * the accepted header shapes into a DateOrderDecision; resolveDate() reads one line with it.
 */
import type { DateOrder, DateOrderDecision } from "../chat-record.ts";
import {
  MER_AM,
  MER_NIGHT,
  MER_NOON,
  MER_NONE,
  MER_PM,
  YEAR_FIRST,
  YEAR_LAST,
  type HeaderMatch,
} from "./header.ts";

const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether y-m-d is a real calendar date (no roll-over: 2018-02-30 is invalid). */
export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (DAYS[m] ?? 0);
}

/** Per-shape tallies of what the date fields prove. */
export class DateEvidence {
  /** Lines whose fields only make sense day-first (first field > 12). */
  dmyOnly = 0;
  firstDmyLine = 0;
  firstDmyValue = 0;
  /** Lines whose fields only make sense month-first (second field > 12). */
  mdyOnly = 0;
  firstMdyLine = 0;
  firstMdyValue = 0;
  /** Lines valid in both orders. */
  both = 0;
  /** Year-first lines (no day/month question). */
  yearFirst = 0;

  /** Adds one header; returns false when its date is valid in no order (not counted as a header). */
  add(m: HeaderMatch, line: number): boolean {
    if (m.yearPos === YEAR_FIRST) {
      if (!isValidDate(m.f1, m.f2, m.f3)) return false;
      this.yearFirst++;
      return true;
    }
    const a = m.f1;
    const b = m.yearPos === YEAR_LAST ? m.f2 : m.f3;
    const y = fullYear(m.yearPos === YEAR_LAST ? m.f3 : m.f2);
    const dmy = isValidDate(y, b, a);
    const mdy = isValidDate(y, a, b);
    if (dmy && mdy) this.both++;
    else if (dmy) {
      if (this.dmyOnly++ === 0) {
        this.firstDmyLine = line;
        this.firstDmyValue = a;
      }
    } else if (mdy) {
      if (this.mdyOnly++ === 0) {
        this.firstMdyLine = line;
        this.firstMdyValue = b;
      }
    } else return false;
    return true;
  }

  merge(o: DateEvidence): void {
    if (o.dmyOnly > 0 && (this.dmyOnly === 0 || o.firstDmyLine < this.firstDmyLine)) {
      this.firstDmyLine = o.firstDmyLine;
      this.firstDmyValue = o.firstDmyValue;
    }
    if (o.mdyOnly > 0 && (this.mdyOnly === 0 || o.firstMdyLine < this.firstMdyLine)) {
      this.firstMdyLine = o.firstMdyLine;
      this.firstMdyValue = o.firstMdyValue;
    }
    this.dmyOnly += o.dmyOnly;
    this.mdyOnly += o.mdyOnly;
    this.both += o.both;
    this.yearFirst += o.yearFirst;
  }
}

/** 2-digit years are 20yy in every peer (FORMATS.md 1.3). */
export function fullYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

/**
 * Decides the file's date order from the evidence of its accepted header shapes. Never guesses
 * silently: with no deciding value the result is day-first with status "ambiguous" and month-first
 * listed as the alternative.
 */
export function decideDateOrder(ev: DateEvidence, override?: DateOrder): DateOrderDecision {
  if (override) {
    return {
      order: override,
      status: "override",
      alternatives: [],
      evidence: `date order set by the caller (${override})`,
    };
  }
  const dm = ev.dmyOnly + ev.mdyOnly + ev.both;
  if (dm === 0) {
    return {
      order: "ymd",
      status: "single",
      alternatives: [],
      evidence: ev.yearFirst > 0 ? `all ${ev.yearFirst} dates are year-first` : "no dates found",
    };
  }
  const dmyWhy = `a first field of ${ev.firstDmyValue} on line ${ev.firstDmyLine}`;
  const mdyWhy = `a second field of ${ev.firstMdyValue} on line ${ev.firstMdyLine}`;
  if (ev.dmyOnly > 0 && ev.mdyOnly > 0) {
    const order: DateOrder = ev.dmyOnly >= ev.mdyOnly ? "dmy" : "mdy";
    return {
      order,
      status: "mixed",
      alternatives: [order === "dmy" ? "mdy" : "dmy"],
      evidence: `both orders occur: ${dmyWhy} (${ev.dmyOnly} day-first-only dates) and ${mdyWhy} (${ev.mdyOnly} month-first-only dates); each line is read with its own evidence, undecided lines follow the previous decided line`,
    };
  }
  if (ev.dmyOnly > 0) return { order: "dmy", status: "inferred", alternatives: [], evidence: dmyWhy };
  if (ev.mdyOnly > 0) return { order: "mdy", status: "inferred", alternatives: [], evidence: mdyWhy };
  return {
    order: "dmy",
    status: "ambiguous",
    alternatives: ["mdy"],
    evidence: `no day or month above 12 in ${ev.both} dates; read day-first, month-first is equally possible (use --date-order)`,
  };
}

/** Output of resolveDate, reused. */
export class ResolvedDate {
  y = 0;
  mo = 0;
  d = 0;
  h = 0;
  order: DateOrder = "dmy";
}

/**
 * Reads the header's date and time with `order` (year-first lines ignore it). Returns false when the
 * result is not a real calendar date. A meridiem is ignored when the hour is 0 or >= 13 (FORMATS.md 1.4).
 */
export function resolveDate(m: HeaderMatch, order: DateOrder, out: ResolvedDate): boolean {
  let y: number;
  let mo: number;
  let d: number;
  if (m.yearPos === YEAR_FIRST) {
    y = m.f1;
    mo = m.f2;
    d = m.f3;
    out.order = "ymd";
  } else if (order === "ymd") {
    // Only a line without a 4-digit year can be read year-first.
    if (m.year4 || m.yearPos !== YEAR_LAST) return false;
    y = 2000 + m.f1;
    mo = m.f2;
    d = m.f3;
    out.order = "ymd";
  } else {
    const a = m.f1;
    const b = m.yearPos === YEAR_LAST ? m.f2 : m.f3;
    y = fullYear(m.yearPos === YEAR_LAST ? m.f3 : m.f2);
    mo = order === "dmy" ? b : a;
    d = order === "dmy" ? a : b;
    out.order = order;
  }
  if (!isValidDate(y, mo, d)) return false;
  out.y = y;
  out.mo = mo;
  out.d = d;
  out.h = to24h(m.hour, m.meridiem);
  return true;
}

function to24h(h: number, mer: number): number {
  if (mer === MER_NONE || h === 0 || h >= 13) return h;
  switch (mer) {
    case MER_AM:
      return h === 12 ? 0 : h;
    case MER_PM:
      return h === 12 ? 12 : h + 12;
    case MER_NOON:
      // "mittags": 11 is before noon, 12..5 after.
      return h === 11 || h === 12 ? h : h + 12;
    case MER_NIGHT:
      // "nachts"/"da noite": 6..11 is evening, 12 and 1..5 after midnight.
      return h >= 6 && h <= 11 ? h + 12 : h === 12 ? 0 : h;
    default:
      return h;
  }
}

/** For a "mixed" file: the order a line's own values prove, or null when they prove nothing. */
export function lineOrder(m: HeaderMatch): DateOrder | null {
  if (m.yearPos === YEAR_FIRST) return "ymd";
  const b = m.yearPos === YEAR_LAST ? m.f2 : m.f3;
  if (m.f1 > 12 && b <= 12) return "dmy";
  if (b > 12 && m.f1 <= 12) return "mdy";
  return null;
}
