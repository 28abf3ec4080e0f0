import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NsfwProbabilities } from "../../domain/detect/images/nsfw-mapping.ts";
import { photoLike } from "../../../tests/helpers/images.ts";
import { analyseImages, FACES_SKIPPED_NEUTRAL, facesWanted, OCR_SKIPPED_NO_TEXT } from "./analyse-images.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeOptions } from "./decode-image.ts";
import type { ImageModels } from "./image-models.ts";

const EXPLICIT: NsfwProbabilities = { Porn: 0.9, Hentai: 0, Sexy: 0.05, Drawing: 0, Neutral: 0.05 };
const NEUTRAL: NsfwProbabilities = { Porn: 0, Hentai: 0, Sexy: 0.05, Drawing: 0.05, Neutral: 0.9 };

/** Model double: answers the given probabilities in order and counts face detections. */
function stubModels(answers: NsfwProbabilities[]): ImageModels & { faceCalls: number } {
  const m = {
    faceCalls: 0,
    classify: (images: unknown[]) => Promise.resolve(images.map((_, i) => answers[i] ?? NEUTRAL)),
    countFaces: () => {
      m.faceCalls++;
      return Promise.resolve(2);
    },
    dispose: () => {},
  };
  return m;
}

const decode: DecodeOptions = {
  classifierSize: 224,
  faceSize: 320,
  ocrSize: 0,
  limits: DEFAULT_DECODE_LIMITS,
};
let dir: string;
let files: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analyse-images-"));
  files = await Promise.all(
    [1, 2].map(async (i) => {
      const f = join(dir, `p${i}.jpg`);
      await writeFile(f, await photoLike(i, 320, 240));
      return f;
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("facesWanted", () => {
  it("looks for faces on explicit and suggestive pictures only in flagged mode", () => {
    expect(facesWanted("flagged", "explicit")).toBe(true);
    expect(facesWanted("flagged", "suggestive")).toBe(true);
    expect(facesWanted("flagged", "neutral")).toBe(false);
    expect(facesWanted("all", "neutral")).toBe(true);
  });
});

describe("analyseImages face and OCR rules", () => {
  it("flagged mode: faces on the explicit picture, 'not checked' (not 'no face') on the neutral one", async () => {
    const m = stubModels([EXPLICIT, NEUTRAL]);
    const [a, b] = await analyseImages(m, files, decode, "auto", "flagged");
    expect(m.faceCalls).toBe(1);
    expect(a?.result).toMatchObject({ class: "explicit", faces: 2, realPersonLikely: true });
    expect(a?.result.notChecked).toBeUndefined();
    expect(b?.result.class).toBe("neutral");
    expect(b?.result.faces).toBeUndefined();
    expect(b?.result.realPersonLikely).toBeUndefined();
    expect(b?.result.notChecked).toEqual({ faces: FACES_SKIPPED_NEUTRAL });
  });

  it("all mode: faces on every picture, nothing marked as skipped", async () => {
    const m = stubModels([EXPLICIT, NEUTRAL]);
    const rs = await analyseImages(m, files, decode, "auto", "all");
    expect(m.faceCalls).toBe(2);
    expect(rs.map((r) => r.result.faces)).toEqual([2, 2]);
    expect(rs.every((r) => r.result.notChecked === undefined)).toBe(true);
  });

  it("says when the OCR gate skipped a picture, and says nothing when OCR is off", async () => {
    const one = (ocrSize: number, mode: "auto" | "always") =>
      analyseImages(stubModels([NEUTRAL]), files.slice(0, 1), { ...decode, ocrSize }, mode, "all");
    const on = await one(640, "auto");
    expect(on[0]?.ocrPng).toBeUndefined();
    expect(on[0]?.result.notChecked).toEqual({ ocr: OCR_SKIPPED_NO_TEXT });
    const always = await one(640, "always");
    expect(always[0]?.ocrPng).toBeInstanceOf(Uint8Array);
    expect(always[0]?.result.notChecked).toBeUndefined();
    const off = await one(0, "auto");
    expect(off[0]?.result.notChecked).toBeUndefined();
  });
});
