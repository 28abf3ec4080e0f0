/**
 * @module analyse-images
 * Runs everything except OCR on a batch of files on the current thread: decode, hash, classify (one
 * forward pass for the batch), count faces. A file that fails becomes `{ file, error }`; the rest of
 * the batch carries on. OCR input (a bounded grayscale PNG) is handed back for the caller's OCR pool.
 */
import type { ImageClass, ImageResult } from "../../contract/detection.ts";
import {
  isRealPersonLikely,
  mapNsfwToImageClass,
  type NsfwProbabilities,
} from "../../domain/detect/images/nsfw-mapping.ts";
import { phashFromGray32 } from "../../domain/detect/images/phash.ts";
import { isTextLikely, textLikelihood } from "../../domain/detect/images/text-likelihood.ts";
import sharp from "sharp";
import { decodeImage, ImageInputError, type DecodedImage, type DecodeOptions } from "./decode-image.ts";
import type { ImageModels } from "./image-models.ts";

/** One analysed image: the wire result so far, plus the OCR input when OCR was asked for. */
export interface AnalysedImage {
  result: ImageResult;
  ocrPng?: Uint8Array;
}

/** Analyses `files` in order; never rejects because of one bad file. */
/**
 * OCR policy: "auto" hands an image to OCR only when its text-likelihood score passes (cheap, see
 * domain/detect/images/text-likelihood.ts); "always" hands over every image.
 */
export type OcrMode = "auto" | "always";

/** Face policy: "all" images, or only those classed explicit or suggestive ("flagged", cheaper). */
export type FaceMode = "all" | "flagged";

/** Why faces were not looked for (ImageResult.notChecked.faces). */
export const FACES_SKIPPED_NEUTRAL =
  "classed neutral: faces are looked for only on explicit or suggestive pictures";
/** Why OCR did not run although it was on (ImageResult.notChecked.ocr). */
export const OCR_SKIPPED_NO_TEXT = "the picture does not look like it holds text (OCR gate)";

/**
 * Whether to look for faces. "flagged": only on pictures classed explicit or suggestive, because
 * "a real person is likely shown" is used for exactly those (the victims worklist takes flagged
 * pictures likely showing a real person); on a neutral picture the answer changes nothing. ADR 020.
 */
export function facesWanted(mode: FaceMode, cls: ImageClass): boolean {
  return mode === "all" || cls !== "neutral";
}

export async function analyseImages(
  models: ImageModels,
  files: readonly string[],
  decode: DecodeOptions,
  ocrMode: OcrMode = "auto",
  faceMode: FaceMode = "all",
): Promise<AnalysedImage[]> {
  const decoded = await Promise.all(
    files.map(async (file): Promise<{ file: string; image?: DecodedImage; error?: string }> => {
      try {
        return { file, image: await decodeImage(file, decode) };
      } catch (e) {
        if (e instanceof ImageInputError) return { file, error: e.message };
        return { file, error: `unexpected decode failure: ${e instanceof Error ? e.message : String(e)}` };
      }
    }),
  );
  const ok = decoded.flatMap((d) => (d.image ? [d.image] : []));
  let probs: NsfwProbabilities[];
  try {
    probs = await models.classify(ok.map((im) => im.classifierRgb));
  } catch (e) {
    // A failure of the model itself is not one file's fault: report it on every file of the batch.
    const msg = `classifier failed: ${e instanceof Error ? e.message : String(e)}`;
    return files.map((file) => ({ result: { file, error: msg } }));
  }
  const out: AnalysedImage[] = [];
  let k = 0;
  for (const d of decoded) {
    const image = d.image;
    if (!image) {
      out.push({ result: { file: d.file, error: d.error ?? "unknown error" } });
      continue;
    }
    const p = probs[k++];
    if (!p) throw new Error("classifier returned fewer results than images");
    const { class: cls, scores } = mapNsfwToImageClass(p);
    const result: ImageResult = {
      file: d.file,
      sha256: image.sha256,
      class: cls,
      scores,
      nsfw: { ...p },
      phash: phashFromGray32(image.gray32),
      width: image.width,
      height: image.height,
    };
    if (models.countFaces && image.faceRgb) {
      if (facesWanted(faceMode, cls)) {
        try {
          const faces = await models.countFaces(image.faceRgb);
          result.faces = faces;
          result.realPersonLikely = isRealPersonLikely(faces, p);
        } catch (e) {
          result.error = `face detection failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      } else {
        result.notChecked = { faces: FACES_SKIPPED_NEUTRAL };
      }
    }
    const g = image.ocrGray;
    if (g && (ocrMode === "always" || isTextLikely(textLikelihood(g.data, g.width, g.height)))) {
      const png = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
        .png({ compressionLevel: 1 })
        .toBuffer();
      out.push({ result, ocrPng: new Uint8Array(png) });
    } else {
      if (g) result.notChecked = { ...result.notChecked, ocr: OCR_SKIPPED_NO_TEXT };
      out.push({ result });
    }
  }
  return out;
}
