import { describe, expect, it } from "vitest";
import { flagAdverseEvent, reviewerIneligibility } from "./retaliation.ts";

const disclosedAt = new Date("2026-03-01T09:00:00Z");

describe("flagAdverseEvent", () => {
  it("should flag an event the day after the disclosure", () => {
    expect(flagAdverseEvent(new Date("2026-03-02T09:00:00Z"), { disclosedAt, closedAt: null })).toEqual({
      flagged: true,
      reason: "occurred 1 day(s) after the disclosure, while protection was open",
    });
  });
  it("should not flag events before the disclosure, after protection closed, or without one", () => {
    expect(flagAdverseEvent(new Date("2026-02-28T09:00:00Z"), { disclosedAt, closedAt: null }).flagged).toBe(
      false,
    );
    const closedAt = new Date("2027-03-01T00:00:00Z");
    expect(flagAdverseEvent(new Date("2027-04-01T00:00:00Z"), { disclosedAt, closedAt }).flagged).toBe(false);
    expect(flagAdverseEvent(new Date("2027-01-01T00:00:00Z"), { disclosedAt, closedAt }).flagged).toBe(true);
    expect(flagAdverseEvent(new Date("2027-01-01T00:00:00Z"), undefined).flagged).toBe(false);
  });
});

describe("reviewerIneligibility", () => {
  it("should refuse the recorder and a subject, and accept anyone else", () => {
    expect(reviewerIneligibility({ userId: "a", personKeys: [] }, { recordedBy: "a" }, [])).toMatch(
      /recorded/,
    );
    expect(
      reviewerIneligibility({ userId: "b", personKeys: ["pc smith"] }, { recordedBy: "a" }, ["pc smith"]),
    ).toMatch(/subject/);
    expect(
      reviewerIneligibility({ userId: "b", personKeys: ["jo"] }, { recordedBy: "a" }, ["pc smith"]),
    ).toBeNull();
  });
});
