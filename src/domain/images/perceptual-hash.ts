/**
 * @module perceptual-hash
 * 64-bit perceptual hashes, stored as 16 lower-case hex digits. sharp-phash gives 64 "0"/"1"
 * characters; both forms are accepted. Two copies of one picture (re-compressed, resized) usually differ
 * in a few bits, so links compare by Hamming distance, not equality.
 */

/** The 16-hex form of a 64-bit hash given as hex or as a 64-character bit string; null if neither. */
export function normalisePhash(s: string): string | null {
  const t = s.trim().toLowerCase();
  if (/^[0-9a-f]{16}$/.test(t)) return t;
  if (/^[01]{64}$/.test(t)) {
    let out = "";
    for (let i = 0; i < 64; i += 4) out += parseInt(t.slice(i, i + 4), 2).toString(16);
    return out;
  }
  return null;
}

/** Number of differing bits between two 16-hex hashes. */
export function phashDistance(a: string, b: string): number {
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
