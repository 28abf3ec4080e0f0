import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageResultSchema } from "../contract/detection.ts";
import { photoLike, textImage } from "../../tests/helpers/images.ts";
import { createImageClassifier } from "./classify-images.ts";

let dir: string;
const put = async (name: string, bytes: Buffer | string) => {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "classify-images-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createImageClassifier", () => {
  it("classifies a generated photo with every field filled, on the calling thread", async () => {
    const file = await put("scene.jpg", await photoLike(7, 640, 480));
    const c = await createImageClassifier({ threads: 0 });
    try {
      const [r] = await c.classifyAll([file]);
      expect(ImageResultSchema.parse(r)).toEqual(r);
      expect(r).toMatchObject({ file, width: 640, height: 480 });
      expect(r?.error).toBeUndefined();
      expect(r?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r?.phash).toMatch(/^[0-9a-f]{16}$/);
      expect(["explicit", "suggestive", "neutral"]).toContain(r?.class);
      expect(Object.keys(r?.nsfw ?? {}).sort()).toEqual(["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]);
      const total = Object.values(r?.nsfw ?? {}).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 3);
      const s = r?.scores;
      expect((s?.explicit ?? 0) + (s?.suggestive ?? 0) + (s?.neutral ?? 0)).toBeCloseTo(1, 3);
      expect(Number.isInteger(r?.faces)).toBe(true);
      expect(typeof r?.realPersonLikely).toBe("boolean");
      expect(c.versions.nsfwjs).toMatch(/MobileNetV2$/);
    } finally {
      await c.close();
    }
  });

  it("keeps argument order through worker threads and reports bad files per item", async () => {
    const files = [
      await put("a.jpg", await photoLike(1, 320, 240)),
      await put("empty.jpg", ""),
      await put("b.png", await photoLike(2, 200, 300, "png")),
      await put("fake.jpg", "not an image at all"),
      join(dir, "missing.jpg"),
      await put("c.jpg", await photoLike(3, 400, 400)),
    ];
    const c = await createImageClassifier({ threads: 1, batchSize: 2, faces: false });
    try {
      const rs = await c.classifyAll(files);
      expect(rs.map((r) => r.file)).toEqual(files);
      expect(rs.map((r) => (r.error ? "error" : r.class ? "ok" : "?"))).toEqual([
        "ok",
        "error",
        "ok",
        "error",
        "error",
        "ok",
      ]);
      expect(rs[1]).toEqual({ file: files[1], error: "empty file" });
      expect(rs[2]).toMatchObject({ width: 200, height: 300 });
      expect(rs[0]?.faces).toBeUndefined();
      // Same bytes, same answer: the worker and the calling thread run the same code.
      const again = await c.classifyAll([files[0] ?? ""]);
      expect(again[0]?.nsfw).toEqual(rs[0]?.nsfw);
    } finally {
      await c.close();
    }
  });

  it("reads text rendered into an image, offline", async () => {
    const file = await put(
      "meme.png",
      await textImage(["SEND PICS TONIGHT", "the sergeant will never know"]),
    );
    const cwdBefore = await readdir(process.cwd());
    const c = await createImageClassifier({ threads: 0, faces: false, ocr: true, ocrWorkers: 1 });
    try {
      const [r] = await c.classifyAll([file]);
      const words = (r?.ocrText ?? "").toLowerCase().split(/\s+/);
      for (const w of ["send", "pics", "tonight", "sergeant", "never", "know"]) expect(words).toContain(w);
    } finally {
      await c.close();
    }
    // cacheMethod "none": tesseract.js must not leave eng.traineddata in the working directory.
    expect(await readdir(process.cwd())).toEqual(cwdBefore);
  });

  it("skips OCR on a picture that does not look like text, unless told to read every image", async () => {
    const file = await put("plain.jpg", await photoLike(5, 320, 240));
    const auto = await createImageClassifier({ threads: 0, faces: false, ocr: "auto", ocrWorkers: 1 });
    const always = await createImageClassifier({ threads: 0, faces: false, ocr: "always", ocrWorkers: 1 });
    try {
      const [skipped] = await auto.classifyAll([file]);
      expect(skipped?.class).toBeDefined();
      expect(skipped?.ocrText).toBeUndefined();
      const [read] = await always.classifyAll([file]);
      // Tesseract finds "words" in the noise; the confidence filter drops them.
      expect(read?.ocrText).toBe("");
    } finally {
      await Promise.all([auto.close(), always.close()]);
    }
  });
});

// Six real group photographs (clothed adults at a party) that ship in @vladmandic/face-api's demo folder.
// Read from node_modules, not copied into the repository; skipped if a future version drops them.
const demo = fileURLToPath(new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url));
const samples = [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`));

describe.skipIf(!samples.every((f) => existsSync(f)))("on real photographs of people", () => {
  it("finds faces, calls them real people, and calls none of them explicit", async () => {
    const c = await createImageClassifier({ threads: 0 });
    try {
      const rs = await c.classifyAll(samples);
      for (const r of rs) {
        expect(r.error).toBeUndefined();
        expect(r.class).not.toBe("explicit");
        // A photograph, not a drawing.
        expect((r.nsfw?.Drawing ?? 1) + (r.nsfw?.Hentai ?? 1)).toBeLessThan(0.5);
      }
      expect(rs.filter((r) => r.realPersonLikely).length).toBeGreaterThanOrEqual(5);
      expect(rs.reduce((n, r) => n + (r.faces ?? 0), 0)).toBeGreaterThanOrEqual(12);
    } finally {
      await c.close();
    }
  });
});
