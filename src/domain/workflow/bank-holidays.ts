/**
 * @module bank-holidays
 * England and Wales bank holidays. A shipped list for 2024-2028 (as published by the UK government) is
 * the default; `englandWalesBankHolidays(year)` computes the standard pattern (Easter by the Gregorian
 * computus, substitute days for weekends) for other years. One-off holidays (a coronation, a state
 * funeral, a moved May holiday) are not computable: add them to the configured list.
 */

/** Dates as "YYYY-MM-DD". */
export const ENGLAND_WALES_BANK_HOLIDAYS_2024_2028: readonly string[] = [
  "2024-01-01",
  "2024-03-29",
  "2024-04-01",
  "2024-05-06",
  "2024-05-27",
  "2024-08-26",
  "2024-12-25",
  "2024-12-26",
  "2025-01-01",
  "2025-04-18",
  "2025-04-21",
  "2025-05-05",
  "2025-05-26",
  "2025-08-25",
  "2025-12-25",
  "2025-12-26",
  "2026-01-01",
  "2026-04-03",
  "2026-04-06",
  "2026-05-04",
  "2026-05-25",
  "2026-08-31",
  "2026-12-25",
  "2026-12-28",
  "2027-01-01",
  "2027-03-26",
  "2027-03-29",
  "2027-05-03",
  "2027-05-31",
  "2027-08-30",
  "2027-12-27",
  "2027-12-28",
  "2028-01-03",
  "2028-04-14",
  "2028-04-17",
  "2028-05-01",
  "2028-05-29",
  "2028-08-28",
  "2028-12-25",
  "2028-12-26",
];

/** "YYYY-MM-DD" of a UTC date. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function utc(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m - 1, d));
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(year, month, day);
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

function firstMonday(year: number, month: number): Date {
  const d = utc(year, month, 1);
  return addDays(d, (8 - d.getUTCDay()) % 7);
}

function lastMonday(year: number, month: number): Date {
  const d = utc(year, month + 1, 0);
  return addDays(d, -((d.getUTCDay() + 6) % 7));
}

/** The standard England and Wales bank holidays of a year, computed. */
export function englandWalesBankHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const newYear = utc(year, 1, 1);
  const ny = newYear.getUTCDay();
  const christmas = utc(year, 12, 25);
  const cd = christmas.getUTCDay();
  // Christmas on Saturday: Mon 27 and Tue 28; on Sunday: Mon 26 (Boxing Day) and Tue 27;
  // Boxing Day on Saturday (Christmas Friday): Mon 28.
  let xmas: Date;
  let boxing: Date;
  if (cd === 6) {
    xmas = utc(year, 12, 27);
    boxing = utc(year, 12, 28);
  } else if (cd === 0) {
    xmas = utc(year, 12, 27);
    boxing = utc(year, 12, 26);
  } else if (cd === 5) {
    xmas = christmas;
    boxing = utc(year, 12, 28);
  } else {
    xmas = christmas;
    boxing = utc(year, 12, 26);
  }
  return [
    ny === 6 ? utc(year, 1, 3) : ny === 0 ? utc(year, 1, 2) : newYear,
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    xmas,
    boxing,
  ]
    .map(isoDay)
    .sort();
}
