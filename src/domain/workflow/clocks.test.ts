import { describe, expect, it } from "vitest";
import {
  easterSunday,
  englandWalesBankHolidays,
  ENGLAND_WALES_BANK_HOLIDAYS_2024_2028,
} from "./bank-holidays.ts";
import { clockDeadline, clockState, DEFAULT_CALENDAR, DEFAULT_CLOCK_RULES, dueDay } from "./clocks.ts";
import { addMonths, addWorkingDays, endOfLocalDay, isWorkingDay, localDay } from "./working-days.ts";

const H = DEFAULT_CALENDAR.holidays;

describe("bank holidays", () => {
  it("should compute Easter for known years", () => {
    expect(easterSunday(2024).toISOString().slice(0, 10)).toBe("2024-03-31");
    expect(easterSunday(2025).toISOString().slice(0, 10)).toBe("2025-04-20");
    expect(easterSunday(2038).toISOString().slice(0, 10)).toBe("2038-04-25");
  });

  it("should compute the same dates as the shipped 2024-2028 list", () => {
    const computed = [2024, 2025, 2026, 2027, 2028].flatMap(englandWalesBankHolidays);
    expect(computed).toEqual([...ENGLAND_WALES_BANK_HOLIDAYS_2024_2028]);
  });
});

describe("working days", () => {
  it("should skip weekends", () => {
    // Friday 2026-11-20 + 1 working day = Monday 2026-11-23
    expect(addWorkingDays("2026-11-20", 1, H)).toBe("2026-11-23");
    expect(isWorkingDay("2026-11-21", H)).toBe(false);
  });

  it("should skip Easter and Christmas bank holidays", () => {
    // Thursday 2026-04-02; Good Friday 3rd and Easter Monday 6th are holidays.
    expect(addWorkingDays("2026-04-02", 1, H)).toBe("2026-04-07");
    // Wednesday 2026-12-23: 24th (Thu), then 25th holiday, weekend, 28th substitute Boxing Day, 29th.
    expect(addWorkingDays("2026-12-23", 2, H)).toBe("2026-12-29");
  });

  it("should count 15 working days across the Christmas holidays", () => {
    // Monday 2027-12-20 -> 21,22,23,24 (4), 27+28 holidays, 29,30,31 (7), 2028-01-03 holiday,
    // 4,5,6,7 (11), 10,11,12,13 (15)
    expect(addWorkingDays("2027-12-20", 15, H)).toBe("2028-01-13");
  });

  it("should not count holidays when none are configured", () => {
    expect(addWorkingDays("2026-04-02", 1, new Set())).toBe("2026-04-03");
  });
});

describe("month arithmetic", () => {
  it("should clamp to the month's last day", () => {
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonths("2027-11-30", 3)).toBe("2028-02-29");
    expect(addMonths("2026-05-31", 3)).toBe("2026-08-31");
    expect(addMonths("2026-03-31", 3)).toBe("2026-06-30");
    expect(addMonths("2026-12-15", 3)).toBe("2027-03-15");
  });
});

describe("deadlines in local time", () => {
  it("should end at local midnight in winter and in summer", () => {
    expect(endOfLocalDay("2026-01-10").toISOString()).toBe("2026-01-11T00:00:00.000Z");
    expect(endOfLocalDay("2026-07-10").toISOString()).toBe("2026-07-10T23:00:00.000Z");
  });

  it("should take the local day of a late-evening start in summer", () => {
    // 23:30 UTC on 10 July is 00:30 on 11 July in London.
    expect(localDay(new Date("2026-07-10T23:30:00Z"))).toBe("2026-07-11");
  });

  it("should give the acknowledgement 7 calendar days and feedback 3 months", () => {
    const start = new Date("2026-11-30T10:00:00Z");
    expect(clockDeadline(DEFAULT_CLOCK_RULES.acknowledgement.period, start).toISOString()).toBe(
      "2026-12-08T00:00:00.000Z",
    );
    expect(dueDay(DEFAULT_CLOCK_RULES.feedback.period, "2026-11-30")).toBe("2027-02-28");
  });

  it("should give the outcome report 5 working days over a bank-holiday weekend", () => {
    // Thursday 2027-05-27: Fri 28, (weekend), Mon 31 holiday, Tue 1, Wed 2, Thu 3, Fri 4 June.
    expect(dueDay(DEFAULT_CLOCK_RULES.outcome_report.period, "2027-05-27")).toBe("2027-06-04");
  });
});

describe("clock state with a fake clock", () => {
  const due = new Date("2026-12-08T00:00:00Z");
  it("should run, then ask for a reminder, then breach", () => {
    expect(clockState(due, 2, new Date("2026-12-05T23:59:59Z"))).toBe("running");
    expect(clockState(due, 2, new Date("2026-12-06T00:00:00Z"))).toBe("reminder_due");
    expect(clockState(due, 2, new Date("2026-12-07T23:59:59Z"))).toBe("reminder_due");
    expect(clockState(due, 2, new Date("2026-12-08T00:00:00Z"))).toBe("breached");
  });
});
