/**
 * @module text-likelihood
 * A cheap test of whether an image may contain readable text, so OCR (hundreds of milliseconds to
 * seconds per photograph) runs only where it can pay off. Printed and on-screen text is drawn in
 * near-black on near-white or the reverse: chat screenshots, documents, and meme captions (white with a
 * black outline) all put very light pixels right next to very dark ones, which photographs seldom do.
 * The score is the share of light pixels with a dark pixel within two pixels to the right or below.
 * It is a cost saver, not a detector: coloured low-contrast text is missed (ADR 020).
 */

/** Pixels at or above this grey level count as light, at or below DARK as dark. */
const LIGHT = 200;
const DARK = 55;
/** Minimum score at which OCR is worth running (calibrated on generated images, ADR 020). */
export const TEXT_LIKELY_MIN_SCORE = 0.002;
/** Longest side of the grayscale image the score is meant to be computed on. */
export const TEXT_LIKELIHOOD_INPUT_SIZE = 512;

/**
 * Share (0..1) of pixels that are light and have a dark pixel one or two steps to the right or below.
 * `gray` is row-major, `width * height` values.
 * @throws RangeError when the sizes do not match.
 */
export function textLikelihood(gray: ArrayLike<number>, width: number, height: number): number {
  if (gray.length !== width * height || width <= 0 || height <= 0) {
    throw new RangeError("gray must hold width * height values");
  }
  let hits = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = gray[i] ?? 0;
      const light = v >= LIGHT;
      const dark = v <= DARK;
      if (!light && !dark) continue;
      // A light-dark pair in either order counts once, for the pixel on the left or above.
      let pair = false;
      for (let d = 1; d <= 2 && !pair; d++) {
        const r = x + d < width ? (gray[i + d] ?? 128) : 128;
        const b = y + d < height ? (gray[i + d * width] ?? 128) : 128;
        pair = light ? r <= DARK || b <= DARK : r >= LIGHT || b >= LIGHT;
      }
      if (pair) hits++;
    }
  }
  return hits / (width * height);
}

/** Whether OCR is worth running on an image with this score. */
export function isTextLikely(score: number): boolean {
  return score >= TEXT_LIKELY_MIN_SCORE;
}
