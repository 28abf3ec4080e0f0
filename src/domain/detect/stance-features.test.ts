import { describe, expect, it } from "vitest";
import { hasPhrase } from "./stance-features.ts";

describe("hasPhrase", () => {
  it("finds a phrase as whole tokens, at the start, middle or end", () => {
    expect(hasPhrase("not on mate", ["not on"])).toBe(true);
    expect(hasPhrase("that is not on", ["not on"])).toBe(true);
    expect(hasPhrase("mate that is not on at all", ["out of order", "not on"])).toBe(true);
  });

  it("does not match inside a longer token", () => {
    expect(hasPhrase("not only that", ["not on"])).toBe(false);
    expect(hasPhrase("cannot online", ["not on"])).toBe(false);
  });

  it("tries every occurrence, not only the first", () => {
    // The first "not on" is the start of "not only"; the second stands alone.
    expect(hasPhrase("not only that but it's not on", ["not on"])).toBe(true);
    expect(hasPhrase("knot on a rope, not only", ["not on"])).toBe(false);
  });
});
