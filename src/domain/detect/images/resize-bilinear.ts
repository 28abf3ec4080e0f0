/**
 * @module resize-bilinear
 * Bilinear resize with aligned corners, the way nsfwjs resizes its input (tf.image.resizeBilinear with
 * alignCorners = true, no anti-aliasing). The nsfwjs model is sensitive to this: on real photographs,
 * smoothing (Lanczos) downsampling moved probability from Sexy to Porn, while this point-like sampling
 * reproduced nsfwjs's own answers (ADR 020). Pure: interleaved RGB bytes in and out.
 */

/**
 * Resizes an interleaved image of `channels` bytes per pixel from `w` x `h` to `outW` x `outH`.
 * @throws RangeError when the buffer size does not match.
 */
export function resizeBilinearAlignCorners(
  src: ArrayLike<number>,
  w: number,
  h: number,
  outW: number,
  outH: number,
  channels = 3,
): Uint8Array {
  if (src.length !== w * h * channels || w < 1 || h < 1 || outW < 1 || outH < 1) {
    throw new RangeError("source buffer does not match its dimensions");
  }
  const out = new Uint8Array(outW * outH * channels);
  const sx = outW > 1 ? (w - 1) / (outW - 1) : 0;
  const sy = outH > 1 ? (h - 1) / (outH - 1) : 0;
  for (let y = 0; y < outH; y++) {
    const fy = y * sy;
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = x * sx;
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const dx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const tl = src[(y0 * w + x0) * channels + c] ?? 0;
        const tr = src[(y0 * w + x1) * channels + c] ?? 0;
        const bl = src[(y1 * w + x0) * channels + c] ?? 0;
        const br = src[(y1 * w + x1) * channels + c] ?? 0;
        const top = tl + (tr - tl) * dx;
        const bottom = bl + (br - bl) * dx;
        out[(y * outW + x) * channels + c] = Math.round(top + (bottom - top) * dy);
      }
    }
  }
  return out;
}
