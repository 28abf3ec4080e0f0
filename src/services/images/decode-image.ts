/**
 * @module decode-image
 * Reads one image file and turns it into the small, bounded inputs the detectors need, refusing unsafe
 * or broken files with a reason instead of throwing them at the batch. Only sharp decodes: the models
 * and OCR never see the original bytes.
 *
 * Safety: the header is read first (sharp `metadata()` does not decode pixels) and anything above
 * `maxPixels` is refused before decoding; the decode itself also runs with `limitInputPixels` so a
 * header that lies cannot get past it. Decoding is sequential and shrinks on load where the format
 * allows (JPEG, WebP), so memory stays bounded by the intermediate size, not by the original.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import sharp, { type Metadata, type OutputInfo } from "sharp";
import { PHASH_INPUT_SIZE } from "../../domain/detect/images/phash.ts";
import { resizeBilinearAlignCorners } from "../../domain/detect/images/resize-bilinear.ts";

export interface DecodeLimits {
  /** Largest file read, in bytes. */
  maxBytes: number;
  /** Largest width x height accepted (checked on the header before decoding). */
  maxPixels: number;
}

/**
 * The classifier's input is point-sampled from an image at most this many times its size per side
 * (896 px for 224): close to nsfwjs sampling the full-size original, at bounded cost.
 */
export const CLASSIFIER_PRESAMPLE = 4;

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxBytes: 64 * 2 ** 20, maxPixels: 100_000_000 };

export interface DecodeOptions {
  /** Side of the square RGB input of the classifier (nsfwjs: 224). */
  classifierSize: number;
  /** Longest side of the aspect-preserving RGB input of the face detector; 0 for none. */
  faceSize: number;
  /** Longest side of the grayscale image kept for OCR; 0 for none. */
  ocrSize: number;
  limits: DecodeLimits;
}

export interface RawRgb {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodedImage {
  sha256: string;
  width: number;
  height: number;
  /** classifierSize x classifierSize x 3, squashed (not cropped) like nsfwjs's own resize. */
  classifierRgb: RawRgb;
  /** 32 x 32 grayscale for the perceptual hash. */
  gray32: Uint8Array;
  faceRgb?: RawRgb;
  /** Grayscale, longest side at most ocrSize, one byte per pixel. */
  ocrGray?: RawGray;
}

export interface RawGray {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A file that cannot be classified; `message` is safe to show and goes into the result's `error`. */
export class ImageInputError extends Error {
  override readonly name = "ImageInputError";
}

/**
 * Reads, hashes and decodes one image.
 * @throws ImageInputError for an empty, oversized, unreadable, truncated or unsupported file.
 */
export async function decodeImage(path: string, opts: DecodeOptions): Promise<DecodedImage> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new ImageInputError("file not found");
  if (!st.isFile()) throw new ImageInputError("not a regular file");
  if (st.size === 0) throw new ImageInputError("empty file");
  if (st.size > opts.limits.maxBytes) {
    throw new ImageInputError(`file too large: ${st.size} bytes (limit ${opts.limits.maxBytes})`);
  }
  const bytes = await readFile(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  const common = {
    limitInputPixels: opts.limits.maxPixels,
    sequentialRead: true,
    // Truncated files are errors; lesser warnings (stray bytes some cameras write) are tolerated.
    failOn: "truncated",
  } as const;
  let meta: Metadata;
  try {
    // metadata() parses the header only, so the pixel check below can give its own, clearer reason.
    meta = await sharp(bytes, { ...common, limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageInputError(`not a readable image: ${reason(e)}`);
  }
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  if (!width || !height) throw new ImageInputError("image has no dimensions");
  if (width * height > opts.limits.maxPixels) {
    throw new ImageInputError(
      `image too large: ${width} x ${height} pixels (limit ${opts.limits.maxPixels})`,
    );
  }

  // One decode into a bounded intermediate (longest side: what face detection, OCR or the classifier's
  // pre-sampling needs); every detector input is derived from it.
  const presample = CLASSIFIER_PRESAMPLE * opts.classifierSize;
  const longest = Math.max(opts.faceSize, opts.ocrSize, presample, PHASH_INPUT_SIZE);
  const scale = Math.min(1, longest / Math.max(width, height));
  const midW = Math.max(1, Math.round(width * scale));
  const midH = Math.max(1, Math.round(height * scale));
  let mid: { data: Buffer; info: OutputInfo };
  try {
    mid = await sharp(bytes, common)
      .autoOrient()
      .resize(midW, midH, { fit: "fill" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new ImageInputError(`image could not be decoded: ${reason(e)}`);
  }
  const raw = { raw: { width: mid.info.width, height: mid.info.height, channels: mid.info.channels } };
  const fromMid = () => sharp(mid.data, raw);

  // The classifier input is sampled the way nsfwjs samples (bilinear, aligned corners, no smoothing)
  // from an image of at most `presample` per side: see domain/detect/images/resize-bilinear.ts.
  const preW = Math.min(midW, presample);
  const preH = Math.min(midH, presample);
  const [cls, gray, face, ocr] = await Promise.all([
    preW === mid.info.width && preH === mid.info.height
      ? { data: mid.data, info: mid.info }
      : fromMid().resize(preW, preH, { fit: "fill" }).raw().toBuffer({ resolveWithObject: true }),
    fromMid().resize(PHASH_INPUT_SIZE, PHASH_INPUT_SIZE, { fit: "fill" }).greyscale().raw().toBuffer(),
    opts.faceSize > 0 && Math.max(mid.info.width, mid.info.height) <= opts.faceSize
      ? { data: mid.data, info: mid.info } // already fits: the resize would copy it unchanged
      : opts.faceSize > 0
        ? fromMid()
            .resize(opts.faceSize, opts.faceSize, { fit: "inside", withoutEnlargement: true })
            .raw()
            .toBuffer({ resolveWithObject: true })
        : undefined,
    opts.ocrSize > 0
      ? fromMid()
          .resize(opts.ocrSize, opts.ocrSize, { fit: "inside", withoutEnlargement: true })
          .greyscale()
          .raw()
          .toBuffer({ resolveWithObject: true })
      : undefined,
  ]);
  const out: DecodedImage = {
    sha256,
    width,
    height,
    classifierRgb: {
      data: resizeBilinearAlignCorners(
        cls.data,
        cls.info.width,
        cls.info.height,
        opts.classifierSize,
        opts.classifierSize,
      ),
      width: opts.classifierSize,
      height: opts.classifierSize,
    },
    gray32: new Uint8Array(gray),
  };
  if (face) {
    out.faceRgb = { data: new Uint8Array(face.data), width: face.info.width, height: face.info.height };
  }
  if (ocr) out.ocrGray = { data: new Uint8Array(ocr.data), width: ocr.info.width, height: ocr.info.height };
  return out;
}

function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // sharp/libvips messages can span lines; keep the first one.
  return msg.split("\n")[0]?.trim() ?? "unknown error";
}
