import { describe, expect, it } from "vitest";
import { isTextLikely, textLikelihood } from "./text-likelihood.ts";

const W = 100;
const H = 40;
const img = (f: (x: number, y: number) => number) =>
  Uint8Array.from({ length: W * H }, (_, i) => f(i % W, Math.floor(i / W)));

describe("textLikelihood", () => {
  it("is 0 for a flat image and for smooth mid-grey gradients", () => {
    expect(
      textLikelihood(
        img(() => 255),
        W,
        H,
      ),
    ).toBe(0);
    expect(
      textLikelihood(
        img((x) => 60 + x),
        W,
        H,
      ),
    ).toBe(0);
  });

  it("counts light pixels next to dark ones, in either order and direction", () => {
    // Vertical black bars on white: every white pixel left of a bar, within 2 px, is a hit.
    const bars = img((x) => (x % 10 < 2 ? 0 : 255));
    const score = textLikelihood(bars, W, H);
    expect(score).toBeGreaterThan(0.2);
    expect(isTextLikely(score)).toBe(true);
    // White bars on black score the same way.
    expect(
      textLikelihood(
        img((x) => (x % 10 < 2 ? 255 : 0)),
        W,
        H,
      ),
    ).toBeGreaterThan(0.2);
    // Horizontal bars (dark below light).
    expect(
      textLikelihood(
        img((_, y) => (y % 10 < 2 ? 0 : 255)),
        W,
        H,
      ),
    ).toBeGreaterThan(0.2);
  });

  it("ignores moderate contrast (mid-grey next to mid-grey)", () => {
    expect(
      textLikelihood(
        img((x) => (x % 10 < 2 ? 90 : 170)),
        W,
        H,
      ),
    ).toBe(0);
  });

  it("refuses mismatched sizes", () => {
    expect(() => textLikelihood(new Uint8Array(10), W, H)).toThrow(RangeError);
  });
});
