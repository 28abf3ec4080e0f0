/**
 * @module local-time
 * Arithmetic on the export's local wall-clock timestamps ("YYYY-MM-DDTHH:MM:SS", no zone). They are
 * read as if they were UTC purely so that differences and ISO weeks can be computed; a daylight-saving
 * change inside a window can make a difference off by an hour, and the report says so.
 */

/** Milliseconds of a local timestamp on a zone-less scale; NaN when it is not a timestamp. */
export function localMs(ts: string): number {
  return Date.parse(`${ts}Z`);
}

/** Minutes from `a` to `b` (positive when `b` is later), rounded to 0.1. */
export function minutesBetween(a: string, b: string): number {
  return Math.round((localMs(b) - localMs(a)) / 6_000) / 10;
}

/** ISO-8601 week of a local timestamp, e.g. "2024-W07". */
export function isoWeek(ts: string): string {
  const d = new Date(localMs(ts));
  if (Number.isNaN(d.getTime())) {
    return "unknown";
  }
  // Thursday of the same ISO week decides the year.
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Every ISO week from the week of `first` to the week of `last`, in order (gaps included). */
export function weekRange(first: string, last: string): string[] {
  const out: string[] = [];
  let t = localMs(first);
  const end = localMs(last);
  if (Number.isNaN(t) || Number.isNaN(end)) {
    return out;
  }
  while (t <= end + 7 * 86_400_000) {
    const w = isoWeek(new Date(t).toISOString().slice(0, 19));
    if (out[out.length - 1] !== w) {
      out.push(w);
    }
    if (w === isoWeek(last)) {
      break;
    }
    t += 86_400_000;
  }
  return out;
}
