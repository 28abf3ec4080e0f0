/**
 * @module make-thumbnails
 * Small thumbnails of the pictures a report shows: for HTML a small data URI (blurred on screen by
 * CSS until clicked), for PDF a thumbnail blurred in the pixels (paper cannot be un-blurred on click).
 */
import sharp from "sharp";

export interface ThumbnailSource {
  fileName: string;
  path: string;
}

/** Longest side of a thumbnail in pixels: small enough to keep the report light. */
const SIDE = 160;

async function one(path: string, blur: boolean): Promise<Buffer | null> {
  try {
    // Decode limits: a hostile picture must not exhaust memory (24 megapixels is any phone photo).
    let img = sharp(path, { limitInputPixels: 24_000_000, failOn: "none" })
      .rotate()
      .resize(SIDE, SIDE, { fit: "inside" });
    if (blur) {
      img = img.blur(8);
    }
    return await img.jpeg({ quality: 60 }).toBuffer();
  } catch {
    return null;
  }
}

/** Data URIs by file name, for the HTML report; pictures that fail to decode are left out. */
export async function htmlThumbnails(files: readonly ThumbnailSource[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of files) {
    const b = await one(f.path, false);
    if (b) {
      out.set(f.fileName, `data:image/jpeg;base64,${b.toString("base64")}`);
    }
  }
  return out;
}

/** Blurred JPEG thumbnails by file name, for the PDF report. */
export async function blurredThumbnails(files: readonly ThumbnailSource[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of files) {
    const b = await one(f.path, true);
    if (b) {
      out.set(f.fileName, b);
    }
  }
  return out;
}
