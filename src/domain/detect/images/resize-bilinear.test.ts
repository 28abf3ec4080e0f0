import { describe, expect, it } from "vitest";
import { resizeBilinearAlignCorners } from "./resize-bilinear.ts";

describe("resizeBilinearAlignCorners", () => {
  it("keeps the corner pixels and interpolates between them", () => {
    // 3 x 1 grey: 0, 100, 200 -> 2 x 1 keeps the ends; -> 5 x 1 fills halfway values.
    expect(Array.from(resizeBilinearAlignCorners([0, 100, 200], 3, 1, 2, 1, 1))).toEqual([0, 200]);
    expect(Array.from(resizeBilinearAlignCorners([0, 100, 200], 3, 1, 5, 1, 1))).toEqual([
      0, 50, 100, 150, 200,
    ]);
  });

  it("samples rather than averages when shrinking (no anti-aliasing, like tf.image.resizeBilinear)", () => {
    // A 1-pixel checkerboard shrunk 7 -> 4 picks source pixels 0, 2, 4, 6: all black, not grey.
    const src = Array.from({ length: 7 * 7 }, (_, i) => (((i % 7) + Math.floor(i / 7)) % 2 === 0 ? 0 : 255));
    expect(new Set(resizeBilinearAlignCorners(src, 7, 7, 4, 4, 1))).toEqual(new Set([0]));
  });

  it("handles each RGB channel separately", () => {
    const src = [255, 0, 0, 0, 0, 255]; // red, blue
    expect(Array.from(resizeBilinearAlignCorners(src, 2, 1, 3, 1))).toEqual([
      255, 0, 0, 128, 0, 128, 0, 0, 255,
    ]);
  });

  it("refuses a buffer that does not match its dimensions", () => {
    expect(() => resizeBilinearAlignCorners([1, 2, 3], 2, 2, 1, 1)).toThrow(RangeError);
  });
});
