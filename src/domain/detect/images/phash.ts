/**
 * @module phash
 * Perceptual hash (DCT "pHash") over a 32 x 32 grayscale image, and the Hamming distance between two
 * hashes. Recompressed, resized or lightly edited copies of a picture land a few bits apart; unrelated
 * pictures land about half of the 64 bits apart. Pure: the caller decodes and downsizes the image.
 */

/** Side of the grayscale square the hash is computed over. */
export const PHASH_INPUT_SIZE = 32;
/** Side of the low-frequency DCT block kept (8 x 8 = 64 bits). */
const LOW = 8;

/**
 * Hashes at or below this distance are treated as the same picture (ADR 020: re-encoded and resized
 * copies of the generated test images stayed at or below 4; unrelated ones were 20 or more apart).
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 10;

// cos((2x + 1) u pi / 2N) for u < LOW, x < N, computed once.
const COS: Float64Array = (() => {
  const n = PHASH_INPUT_SIZE;
  const t = new Float64Array(LOW * n);
  for (let u = 0; u < LOW; u++) {
    for (let x = 0; x < n; x++) t[u * n + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  }
  return t;
})();

/**
 * Computes the 64-bit perceptual hash of a 32 x 32 grayscale image given row-major (1024 values,
 * 0..255) and returns it as 16 lowercase hex characters. Each bit says whether one of the 8 x 8
 * lowest-frequency DCT coefficients is above their median.
 * @throws RangeError when `gray` does not hold exactly 32 * 32 values.
 */
export function phashFromGray32(gray: ArrayLike<number>): string {
  const n = PHASH_INPUT_SIZE;
  if (gray.length !== n * n) {
    throw new RangeError(`phash needs ${n * n} grayscale values, got ${gray.length}`);
  }
  // Separable 2-D DCT-II restricted to the LOW x LOW block: rows first, then columns.
  const rows = new Float64Array(n * LOW); // rows[y * LOW + u]
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += (gray[y * n + x] ?? 0) * (COS[u * n + x] ?? 0);
      rows[y * LOW + u] = s;
    }
  }
  const coef = new Float64Array(LOW * LOW); // coef[v * LOW + u]
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let y = 0; y < n; y++) s += (rows[y * LOW + u] ?? 0) * (COS[v * n + y] ?? 0);
      coef[v * LOW + u] = s;
    }
  }
  const sorted = Array.from(coef).sort((a, b) => a - b);
  const median = ((sorted[31] ?? 0) + (sorted[32] ?? 0)) / 2;
  let hex = "";
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let b = 0; b < 4; b++) v = (v << 1) | ((coef[nibble * 4 + b] ?? 0) > median ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

const HEX64 = /^[0-9a-f]{16}$/i;

/**
 * Number of differing bits between two 16-hex-character hashes (0..64).
 * @throws RangeError when either argument is not 16 hex characters.
 */
export function hammingDistance(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) throw new RangeError("hashes must be 16 hex characters");
  let d = 0;
  for (let i = 0; i < 16; i++) {
    let x = parseInt(a[i] ?? "0", 16) ^ parseInt(b[i] ?? "0", 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/**
 * The 16-hex form of a 64-bit hash given as hex (any case) or as a 64-character bit string (the form
 * sharp-phash produces); null if it is neither. Hashes entered by hand or from other tools go through this.
 */
export function normalisePhash(s: string): string | null {
  const t = s.trim().toLowerCase();
  if (HEX64.test(t)) {
    return t;
  }
  if (/^[01]{64}$/.test(t)) {
    let out = "";
    for (let i = 0; i < 64; i += 4) {
      out += parseInt(t.slice(i, i + 4), 2).toString(16);
    }
    return out;
  }
  return null;
}
