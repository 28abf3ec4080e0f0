import { existsSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { photoLike } from "../../../tests/helpers/images.ts";
import type { RawRgb } from "./decode-image.ts";
import { loadImageModels, packageDir } from "./image-models.ts";
import { createTinyFaceDetector, isTinyFaceParams, nonMaxSuppressionCount } from "./tiny-face-detector.ts";

describe("nonMaxSuppressionCount", () => {
  const box = (left: number, top: number, size: number, score: number) => ({
    left,
    top,
    right: left + size,
    bottom: top + size,
    score,
  });
  it("keeps one of two heavily overlapping boxes and both of two apart", () => {
    expect(nonMaxSuppressionCount([box(0, 0, 10, 0.9), box(1, 1, 10, 0.8)], 0.4)).toBe(1);
    expect(nonMaxSuppressionCount([box(0, 0, 10, 0.9), box(20, 20, 10, 0.8)], 0.4)).toBe(2);
    expect(nonMaxSuppressionCount([], 0.4)).toBe(0);
  });
  it("suppresses by overlap with the best box, not in input order", () => {
    // b overlaps both a and c a lot; a and c barely overlap: b is best, so a and c both go.
    const a = box(0, 0, 10, 0.6);
    const b = box(4, 0, 10, 0.9);
    const c = box(8, 0, 10, 0.7);
    expect(nonMaxSuppressionCount([a, b, c], 0.4)).toBe(1);
  });
});

// Real photographs of groups of people shipped in face-api's demo folder (read, not copied).
const demo = join(packageDir("@vladmandic/face-api"), "demo");
const samples = [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`));

async function rgb(input: string | Buffer, side: number): Promise<RawRgb> {
  const r = await sharp(input)
    .resize(side, side, { fit: "inside" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(r.data), width: r.info.width, height: r.info.height };
}

describe.skipIf(!samples.every((f) => existsSync(f)))("the fused tiny face detector", () => {
  beforeAll(async () => {
    (await loadImageModels({ faces: false, faceInputSize: 320, faceScoreThreshold: 0.5 })).dispose();
    await faceapi.nets.tinyFaceDetector.loadFromDisk(join(packageDir("@vladmandic/face-api"), "model"));
  }, 60_000);

  it("counts the same faces as face-api's own detectAllFaces", async () => {
    const params: unknown = faceapi.nets.tinyFaceDetector.params;
    expect(isTinyFaceParams(params)).toBe(true);
    if (!isTinyFaceParams(params)) return;
    for (const inputSize of [320, 224]) {
      const fused = createTinyFaceDetector(params, inputSize, 0.5);
      const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 });
      const images = [
        ...(await Promise.all(samples.map((f) => rgb(f, 320)))),
        ...(await Promise.all(samples.slice(0, 2).map((f) => rgb(f, 500)))),
        await rgb(await photoLike(11, 320, 240), 320),
      ];
      let total = 0;
      try {
        for (const im of images) {
          const t = tf.tensor3d(im.data, [im.height, im.width, 3], "int32");
          const theirs = (await faceapi.detectAllFaces(t, options)).length;
          t.dispose();
          const ours = await fused.countFaces(im);
          expect(ours).toBe(theirs);
          total += ours;
        }
      } finally {
        fused.dispose();
      }
      // Not vacuous: the photographs hold faces the detector finds.
      expect(total).toBeGreaterThan(inputSize === 320 ? 12 : 0);
    }
  });
});
