/**
 * @module working-days
 * Calendar arithmetic for the statutory clocks. Working-day clocks count whole days in England and
 * Wales local time, skipping Saturdays, Sundays and the configured bank holidays; the start day never
 * counts. Month clocks keep the day of the month and fall back to the month's last day (31 Nov -> 30 Nov).
 */
import { isoDay } from "./bank-holidays.ts";

const DAY_MS = 86_400_000;
const LONDON = "Europe/London";

// Building an Intl.DateTimeFormat costs far more than using one (it showed up in the API's CPU profile:
// every report starts clocks), so each is built once per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let f = cache.get(timeZone);
  if (!f) {
    f = make();
    cache.set(timeZone, f);
  }
  return f;
}

/** The calendar date ("YYYY-MM-DD") of an instant in a time zone (default Europe/London). */
export function localDay(instant: Date, timeZone = LONDON): string {
  const parts = cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
  ).formatToParts(instant);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Offset of a time zone from UTC at an instant, in milliseconds (Europe/London: 0 or +1 h). */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = cached(
    instantFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
  ).formatToParts(instant);
  const n = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? "0");
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local calendar day ends (midnight at the start of the next day) in the time zone. */
export function endOfLocalDay(day: string, timeZone = LONDON): Date {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
  // Two passes: the offset at the guessed instant may differ from the one at the true instant near a change.
  let guess = new Date(next.getTime() - zoneOffsetMs(next, timeZone));
  guess = new Date(next.getTime() - zoneOffsetMs(guess, timeZone));
  return guess;
}

function dayOfWeek(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function nextDay(day: string, n = 1): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** True for Monday to Friday days that are not bank holidays. */
export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  const w = dayOfWeek(day);
  return w !== 0 && w !== 6 && !holidays.has(day);
}

/** The day `n` working days after `day` (the start day itself does not count). */
export function addWorkingDays(day: string, n: number, holidays: ReadonlySet<string>): string {
  let d = day;
  for (let left = n; left > 0;) {
    d = nextDay(d);
    if (isWorkingDay(d, holidays)) left--;
  }
  return d;
}

/** Calendar day arithmetic on "YYYY-MM-DD". */
export function addCalendarDays(day: string, n: number): string {
  return nextDay(day, n);
}

/** The same day of the month `n` months later, clamped to the month's last day. */
export function addMonths(day: string, n: number): string {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return isoDay(target);
}
