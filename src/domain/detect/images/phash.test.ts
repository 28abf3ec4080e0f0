import { describe, expect, it } from "vitest";
import { hammingDistance, phashFromGray32, normalisePhash } from "./phash.ts";

const N = 32;
const image = (f: (x: number, y: number) => number) =>
  Uint8Array.from({ length: N * N }, (_, i) =>
    Math.max(0, Math.min(255, Math.round(f(i % N, Math.floor(i / N))))),
  );

// A smooth scene: a few bright and dark blobs at fixed places (content in many DCT coefficients).
const BLOBS = [
  [5, 7, 60, 30],
  [22, 4, -40, 20],
  [14, 18, 70, 40],
  [27, 26, -50, 25],
  [8, 27, 45, 15],
] as const;
const blobs = (x: number, y: number) =>
  BLOBS.reduce((s, [cx, cy, a, r]) => s + a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / r), 60);

describe("phashFromGray32", () => {
  it("returns 16 lowercase hex characters", () => {
    expect(phashFromGray32(image((x, y) => x * 4 + y * 3))).toMatch(/^[0-9a-f]{16}$/);
  });

  it("ignores uniform brightness and contrast changes", () => {
    const base = image((x, y) => 40 + blobs(x, y));
    const brighter = image((x, y) => 70 + blobs(x, y) * 1.2);
    expect(hammingDistance(phashFromGray32(base), phashFromGray32(brighter))).toBeLessThanOrEqual(2);
  });

  it("puts two different scenes far apart", () => {
    const a = phashFromGray32(image((x, y) => 40 + blobs(x, y)));
    const b = phashFromGray32(image((x, y) => 40 + blobs(y, N - 1 - x)));
    expect(hammingDistance(a, b)).toBeGreaterThan(16);
  });

  it("tells a horizontal gradient from a vertical one", () => {
    const h = phashFromGray32(image((x) => x * 8));
    const v = phashFromGray32(image((_, y) => y * 8));
    expect(hammingDistance(h, v)).toBeGreaterThan(10);
  });

  it("refuses input of the wrong size", () => {
    expect(() => phashFromGray32(new Uint8Array(100))).toThrow(RangeError);
  });
});

describe("hammingDistance", () => {
  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("0000000000000001", "0000000000000003")).toBe(1);
    expect(hammingDistance("a000000000000000", "5000000000000000")).toBe(4);
  });

  it("is symmetric and case-insensitive", () => {
    expect(hammingDistance("ABCDEF0123456789", "abcdef0123456780")).toBe(
      hammingDistance("abcdef0123456780", "abcdef0123456789"),
    );
  });

  it("refuses malformed hashes", () => {
    expect(() => hammingDistance("xyz", "0000000000000000")).toThrow(RangeError);
  });
});

describe("normalisePhash", () => {
  it("should accept hex in any case and sharp-phash's bit strings, and refuse anything else", () => {
    expect(normalisePhash("00FF00FF00FF00FF")).toBe("00ff00ff00ff00ff");
    expect(normalisePhash("0000000011111111".repeat(4))).toBe("00ff00ff00ff00ff");
    expect(normalisePhash("xyz")).toBeNull();
    expect(normalisePhash("0".repeat(63))).toBeNull();
  });
});
