import { describe, expect, it } from "vitest";
import { normalisePhash, phashDistance } from "./perceptual-hash.ts";

describe("perceptual hashes", () => {
  it("should accept hex and bit strings", () => {
    expect(normalisePhash("00FF00FF00FF00FF")).toBe("00ff00ff00ff00ff");
    expect(normalisePhash("0000000011111111".repeat(4))).toBe("00ff00ff00ff00ff");
    expect(normalisePhash("xyz")).toBeNull();
    expect(normalisePhash("0".repeat(63))).toBeNull();
  });
  it("should count differing bits", () => {
    expect(phashDistance("00ff00ff00ff00ff", "00ff00ff00ff00ff")).toBe(0);
    expect(phashDistance("00ff00ff00ff00ff", "01ff00ff00ff00fe")).toBe(2);
    expect(phashDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
  });
});
