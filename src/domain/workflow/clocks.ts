/**
 * @module clocks
 * The statutory clocks (DOMAIN.md sections 3-5) as configuration, and pure functions that compute a
 * clock's deadline and status from an explicit `now`. A deadline is the end of its due day in England
 * and Wales local time.
 */
import { ENGLAND_WALES_BANK_HOLIDAYS_2024_2028, englandWalesBankHolidays } from "./bank-holidays.ts";
import { addCalendarDays, addMonths, addWorkingDays, endOfLocalDay, localDay } from "./working-days.ts";

export const CLOCK_KINDS = [
  "acknowledgement",
  "feedback",
  "progress_report",
  "subject_response",
  "witness_lists",
  "pre_hearing",
  "outcome_report",
  "rp_account",
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export type ClockPeriod =
  | { unit: "calendar_days"; amount: number }
  | { unit: "months"; amount: number }
  | { unit: "working_days"; amount: number };

export interface ClockRule {
  kind: ClockKind;
  label: string;
  period: ClockPeriod;
  /** After the clock is met, a new one runs for this period from the old deadline (progress reports). */
  repeat?: ClockPeriod;
  /** Allegation states in which the clock keeps running; leaving them stops it. Absent: runs until met. */
  activeStates?: readonly string[];
  /** Reminder this many calendar days before the deadline. */
  reminderDaysBefore: number;
}

export type ClockRules = Readonly<Record<ClockKind, ClockRule>>;

export const DEFAULT_CLOCK_RULES: ClockRules = {
  acknowledgement: {
    kind: "acknowledgement",
    label: "acknowledge the report",
    period: { unit: "calendar_days", amount: 7 },
    reminderDaysBefore: 2,
  },
  feedback: {
    kind: "feedback",
    label: "feedback to the reporter",
    period: { unit: "months", amount: 3 },
    reminderDaysBefore: 14,
  },
  progress_report: {
    kind: "progress_report",
    label: "written progress report on the investigation",
    period: { unit: "months", amount: 12 },
    repeat: { unit: "months", amount: 6 },
    activeStates: ["investigation", "paused_criminal"],
    reminderDaysBefore: 28,
  },
  subject_response: {
    kind: "subject_response",
    label: "subject's response",
    period: { unit: "working_days", amount: 15 },
    activeStates: ["preparation"],
    reminderDaysBefore: 3,
  },
  witness_lists: {
    kind: "witness_lists",
    label: "witness lists",
    period: { unit: "working_days", amount: 3 },
    activeStates: ["preparation"],
    reminderDaysBefore: 1,
  },
  pre_hearing: {
    kind: "pre_hearing",
    label: "pre-hearing",
    period: { unit: "working_days", amount: 15 },
    activeStates: ["preparation"],
    reminderDaysBefore: 3,
  },
  outcome_report: {
    kind: "outcome_report",
    label: "outcome report",
    period: { unit: "working_days", amount: 5 },
    activeStates: ["outcome", "appeal"],
    reminderDaysBefore: 1,
  },
  rp_account: {
    kind: "rp_account",
    label: "subject's account (reflective practice)",
    period: { unit: "working_days", amount: 5 },
    activeStates: ["rp_notice", "rp_account"],
    reminderDaysBefore: 1,
  },
};

/** Clocks started when an allegation enters a state. */
export const CLOCKS_ON_ENTER: Readonly<Record<string, readonly ClockKind[]>> = {
  investigation: ["progress_report"],
  preparation: ["subject_response"],
  outcome: ["outcome_report"],
  rp_notice: ["rp_account"],
};

/** Clocks started when another clock is met (witness lists and pre-hearing follow the subject's response). */
export const CLOCKS_ON_MET: Readonly<Partial<Record<ClockKind, readonly ClockKind[]>>> = {
  subject_response: ["witness_lists", "pre_hearing"],
};

export interface CalendarConfig {
  holidays: ReadonlySet<string>;
  timeZone: string;
}

/**
 * The shipped 2024-2028 list, then the computed standard pattern to 2040 (one-off holidays announced
 * later must be added by configuration).
 */
export const DEFAULT_CALENDAR: CalendarConfig = {
  holidays: new Set([
    ...ENGLAND_WALES_BANK_HOLIDAYS_2024_2028,
    ...Array.from({ length: 12 }, (_, i) => englandWalesBankHolidays(2029 + i)).flat(),
  ]),
  timeZone: "Europe/London",
};

/** The due day of a period started on a local day. */
export function dueDay(
  period: ClockPeriod,
  startDay: string,
  cal: CalendarConfig = DEFAULT_CALENDAR,
): string {
  switch (period.unit) {
    case "calendar_days":
      return addCalendarDays(startDay, period.amount);
    case "months":
      return addMonths(startDay, period.amount);
    case "working_days":
      return addWorkingDays(startDay, period.amount, cal.holidays);
  }
}

/** The deadline (end of the due day, local time) of a period started at an instant. */
export function clockDeadline(
  period: ClockPeriod,
  startedAt: Date,
  cal: CalendarConfig = DEFAULT_CALENDAR,
): Date {
  return endOfLocalDay(dueDay(period, localDay(startedAt, cal.timeZone), cal), cal.timeZone);
}

export type ClockState = "running" | "reminder_due" | "breached";

/** Where an open clock stands at `now`. */
export function clockState(dueAt: Date, reminderDaysBefore: number, now: Date): ClockState {
  if (now.getTime() >= dueAt.getTime()) return "breached";
  if (now.getTime() >= dueAt.getTime() - reminderDaysBefore * 86_400_000) return "reminder_due";
  return "running";
}
