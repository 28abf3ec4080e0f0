/**
 * @module sniff-encoding
 * Text chat exports are UTF-8. This catches the inputs that would otherwise fail obscurely: UTF-16
 * (a BOM, or NULs in every other byte) and binary files (many NULs).
 */

/**
 * Looks at the first bytes of a file.
 * @returns a one-line reason when the bytes are not UTF-8 text, else null.
 */
export function sniffEncoding(head: Uint8Array): string | null {
  const b0 = head[0];
  const b1 = head[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return "the file is UTF-16 encoded (byte-order mark found); exports are UTF-8 text, so re-save it as UTF-8";
  }
  const n = Math.min(head.length, 4096);
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
  }
  const half = n / 2;
  if (n >= 16 && (nulEven > half * 0.6 || nulOdd > half * 0.6) && Math.min(nulEven, nulOdd) < half * 0.05) {
    return "the file looks UTF-16 encoded (NUL in every other byte); exports are UTF-8 text, so re-save it as UTF-8";
  }
  if (nulEven + nulOdd > n * 0.01 && nulEven + nulOdd > 2) return "the file is binary, not text";
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i] ?? 0;
    // Control bytes other than tab, LF, CR and form feed do not occur in chat text.
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  if (n >= 16 && control > n * 0.02) return "the file is binary, not text";
  return null;
}
