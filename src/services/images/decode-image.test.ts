import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hammingDistance, phashFromGray32 } from "../../domain/detect/images/phash.ts";
import { hugePng, photoLike } from "../../../tests/helpers/images.ts";
import { decodeImage, DEFAULT_DECODE_LIMITS, ImageInputError, type DecodeOptions } from "./decode-image.ts";

const opts: DecodeOptions = { classifierSize: 224, faceSize: 224, ocrSize: 0, limits: DEFAULT_DECODE_LIMITS };
let dir: string;
const put = async (name: string, bytes: Buffer | string) => {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "decode-image-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("decodeImage", () => {
  it("produces every detector input at its fixed size, and the original dimensions", async () => {
    const file = await put("photo.jpg", await photoLike(1, 800, 600));
    const d = await decodeImage(file, { ...opts, ocrSize: 640 });
    expect(d).toMatchObject({ width: 800, height: 600 });
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.classifierRgb).toMatchObject({ width: 224, height: 224 });
    expect(d.classifierRgb.data.length).toBe(224 * 224 * 3);
    expect(d.gray32.length).toBe(32 * 32);
    expect(d.faceRgb).toMatchObject({ width: 224, height: 168 });
    expect(d.ocrGray).toMatchObject({ width: 640, height: 480 });
    expect(d.ocrGray?.data.length).toBe(640 * 480);
  });

  it("gives a picture that already fits the face input to the face detector unscaled", async () => {
    const file = await put("small.jpg", await photoLike(5, 200, 150));
    const d = await decodeImage(file, { ...opts, faceSize: 320 });
    expect(d.faceRgb).toMatchObject({ width: 200, height: 150 });
    const direct = await sharp(file).removeAlpha().raw().toBuffer();
    expect(Buffer.from(d.faceRgb?.data ?? []).equals(direct)).toBe(true);
  });

  it("applies EXIF orientation before reporting dimensions", async () => {
    const file = await put(
      "rotated.jpg",
      await sharp(await photoLike(2, 300, 200))
        .withMetadata({ orientation: 6 })
        .jpeg()
        .toBuffer(),
    );
    const d = await decodeImage(file, opts);
    expect([d.width, d.height]).toEqual([200, 300]);
  });

  const refused = async (path: string): Promise<string> => {
    const e: unknown = await decodeImage(path, opts).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ImageInputError);
    return e instanceof Error ? e.message : "";
  };

  it("refuses an empty file", async () => {
    expect(await refused(await put("empty.jpg", Buffer.alloc(0)))).toBe("empty file");
  });

  it("refuses a text file renamed .jpg", async () => {
    expect(await refused(await put("fake.jpg", "this is a shopping list, not a picture\n"))).toMatch(
      /not a readable image/,
    );
  });

  it("refuses a truncated JPEG and a truncated PNG", async () => {
    const jpeg = await photoLike(3, 640, 480);
    const png = await photoLike(3, 640, 480, "png");
    expect(await refused(await put("cut.jpg", jpeg.subarray(0, Math.floor(jpeg.length / 2))))).toMatch(
      /decode/,
    );
    expect(await refused(await put("cut.png", png.subarray(0, Math.floor(png.length / 2))))).toMatch(
      /decode|readable/,
    );
  });

  it("refuses a 20,000 x 20,000 image from its header, without decoding it", async () => {
    const file = await put("huge.png", await hugePng(20_000, 20_000));
    const before = process.memoryUsage().rss;
    expect(await refused(file)).toMatch(/too large: 20000 x 20000/);
    // Decoding would need 400 MB for the grey bitmap alone; the refusal reads only the header.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it("refuses files over the byte limit and missing files", async () => {
    const file = await put("big.jpg", await photoLike(4, 320, 240));
    await expect(decodeImage(file, { ...opts, limits: { ...opts.limits, maxBytes: 100 } })).rejects.toThrow(
      /file too large/,
    );
    expect(await refused(join(dir, "nope.jpg"))).toBe("file not found");
  });
});

describe("perceptual hash of decoded images", () => {
  const hashOf = async (name: string, bytes: Buffer) =>
    phashFromGray32((await decodeImage(await put(name, bytes), opts)).gray32);

  it("keeps resized and re-encoded copies close, and unrelated pictures far apart", async () => {
    const original = await photoLike(10, 1024, 768, "png");
    const h0 = await hashOf("orig.png", original);
    const copies = await Promise.all([
      hashOf("q40.jpg", await sharp(original).jpeg({ quality: 40 }).toBuffer()),
      hashOf("small.jpg", await sharp(original).resize(320).jpeg({ quality: 75 }).toBuffer()),
      hashOf("webp.webp", await sharp(original).resize(600).webp({ quality: 50 }).toBuffer()),
      hashOf("grey.png", await sharp(original).greyscale().png().toBuffer()),
    ]);
    const near = copies.map((h) => hammingDistance(h0, h));
    for (const d of near) expect(d).toBeLessThanOrEqual(6);

    const others = await Promise.all(
      [11, 12, 13, 14, 15].map(async (s) => hashOf(`other${s}.jpg`, await photoLike(s, 1024, 768))),
    );
    const far = others.map((h) => hammingDistance(h0, h));
    for (const d of far) expect(d).toBeGreaterThanOrEqual(16);
  });
});
