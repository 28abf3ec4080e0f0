/**
 * Synthetic test images made with sharp: photo-like scenes (gradient, shapes, noise), rendered text,
 * and a genuine but huge PNG. They are generated, not collected, so they say nothing about accuracy
 * on real pictures; they exercise decoding, hashing, OCR and throughput.
 */
import { crc32, createDeflate } from "node:zlib";
import sharp from "sharp";

/** Small deterministic PRNG (mulberry32), so a seed always gives the same picture. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function colour(r: () => number): string {
  const c = () =>
    Math.floor(r() * 256)
      .toString(16)
      .padStart(2, "0");
  return `#${c()}${c()}${c()}`;
}

/** An SVG scene: a two-colour gradient with a dozen random ellipses and rectangles. */
export function sceneSvg(seed: number, width: number, height: number): string {
  const r = rng(seed);
  const shapes: string[] = [];
  for (let i = 0; i < 12; i++) {
    const x = Math.round(r() * width);
    const y = Math.round(r() * height);
    const a = Math.round((0.05 + r() * 0.25) * width);
    const b = Math.round((0.05 + r() * 0.25) * height);
    const fill = colour(r);
    const op = (0.4 + r() * 0.6).toFixed(2);
    shapes.push(
      r() < 0.5
        ? `<ellipse cx="${x}" cy="${y}" rx="${a}" ry="${b}" fill="${fill}" fill-opacity="${op}"/>`
        : `<rect x="${x - a}" y="${y - b}" width="${2 * a}" height="${2 * b}" fill="${fill}" fill-opacity="${op}" transform="rotate(${Math.round(r() * 90)} ${x} ${y})"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour(r)}"/><stop offset="1" stop-color="${colour(r)}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes.join("")}</svg>`;
}

/** A photo-like picture: the scene of `seed`, softened, with sensor-like noise, as JPEG (default) or PNG. */
export async function photoLike(
  seed: number,
  width: number,
  height: number,
  format: "jpeg" | "png" = "jpeg",
): Promise<Buffer> {
  const base = await sharp(Buffer.from(sceneSvg(seed, width, height)))
    .blur(1.2)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 18 },
    },
  })
    .raw()
    .toBuffer();
  const px = base.data;
  const ch = base.info.channels;
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += ch) {
    for (let c = 0; c < 3; c++) {
      const v = (px[j + c] ?? 0) + (noise[i * 3 + c] ?? 128) - 128;
      out[i * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  const img = sharp(out, { raw: { width, height, channels: 3 } });
  return format === "jpeg" ? img.jpeg({ quality: 88 }).toBuffer() : img.png().toBuffer();
}

/** Black text on white, one line per entry, as PNG. */
export async function textImage(lines: string[], width = 900, fontSize = 44): Promise<Buffer> {
  const lh = Math.round(fontSize * 1.6);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = lines
    .map(
      (l, i) =>
        `<text x="24" y="${lh * (i + 1)}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="${fontSize}" fill="#111">${esc(l)}</text>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${lh * (lines.length + 1)}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/**
 * A valid, all-black 8-bit grayscale PNG of any size, built by streaming rows through deflate so the
 * full bitmap never exists in memory here either (20,000 x 20,000 compresses to about 400 KB).
 */
export async function hugePng(width: number, height: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (d: Buffer) => parts.push(d));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const row = Buffer.alloc(width + 1); // filter byte 0 + zero pixels
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", Buffer.concat(parts)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
