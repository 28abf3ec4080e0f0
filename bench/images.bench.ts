/**
 * Image detector throughput: images/s and peak RSS with and without face detection and OCR, on
 * synthetic pictures made with sharp (gradients, shapes and noise; a tenth are rendered text). They are
 * generated, so they measure speed and memory only, not accuracy.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import os from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { hammingDistance } from "../src/domain/detect/images/phash.ts";
import { createImageClassifier, type ImageClassifierOptions } from "../src/services/classify-images.ts";
import { photoLike, textImage } from "../tests/helpers/images.ts";
import type { Benchmark } from "./benchmark.ts";

interface Row {
  label: string;
  images: number;
  startMs: number;
  perSec: number;
  peakRssMb: number;
  ocrRead: number;
  /** Process CPU time (all threads) per image, in ms: less sensitive to other load than wall time. */
  cpuMsPerImage: number;
  load: number;
}

async function makeSet(
  dir: string,
  prefix: string,
  n: number,
  w: number,
  h: number,
  textEvery = 0,
): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const isText = textEvery > 0 && i % textEvery === textEvery - 1;
    const bytes = isText
      ? await sharp(
          await textImage([`message ${i} from the group`, "see you at the nick"], w, Math.round(w / 18)),
        )
          .resize(w, h, { fit: "contain", background: "#fff" })
          .png()
          .toBuffer()
      : await photoLike(1000 + i, w, h);
    const file = join(dir, `${prefix}-${i}.${isText ? "png" : "jpg"}`);
    await writeFile(file, bytes);
    files.push(file);
  }
  return files;
}

async function measure(label: string, files: string[], opts: ImageClassifierOptions): Promise<Row> {
  const t0 = performance.now();
  const c = await createImageClassifier(opts);
  // Warm up: one batch per worker so every worker has loaded its models before timing starts.
  const threads = Math.max(1, opts.threads ?? 1);
  await c.classifyAll(files.slice(0, threads * (opts.batchSize ?? 8)));
  const startMs = performance.now() - t0;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  let ocrRead = 0;
  let errors = 0;
  for await (const r of c.classify(files)) {
    if (r.ocrText !== undefined) ocrRead++;
    if (r.error) errors++;
  }
  const secs = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const load = os.loadavg()[0] ?? 0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  await c.close();
  if (errors > 0) throw new Error(`${label}: ${errors} images failed`);
  return {
    label,
    images: files.length,
    startMs,
    perSec: files.length / secs,
    peakRssMb: peak / 2 ** 20,
    ocrRead,
    cpuMsPerImage: (cpu.user + cpu.system) / 1000 / files.length,
    load,
  };
}

async function phashSeparation(dir: string, n: number): Promise<{ near: number[]; far: number[] }> {
  const c = await createImageClassifier({ threads: 0, faces: false });
  const near: number[] = [];
  const far: number[] = [];
  try {
    const hashes: string[] = [];
    for (let i = 0; i < n; i++) {
      const orig = await photoLike(5000 + i, 1024, 768, "png");
      const variants = [
        orig,
        await sharp(orig).jpeg({ quality: 35 }).toBuffer(),
        await sharp(orig).resize(400).jpeg({ quality: 70 }).toBuffer(),
        await sharp(orig).resize(800).webp({ quality: 50 }).toBuffer(),
        await sharp(orig).extract({ left: 20, top: 15, width: 984, height: 738 }).jpeg().toBuffer(),
      ];
      const files = await Promise.all(
        variants.map(async (b, k) => {
          const f = join(dir, `ph-${i}-${k}`);
          await writeFile(f, b);
          return f;
        }),
      );
      const rs = await c.classifyAll(files);
      const hs = rs.map((r) => r.phash ?? "");
      const h0 = hs[0] ?? "";
      for (const h of hs.slice(1)) near.push(hammingDistance(h0, h));
      hashes.push(h0);
    }
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) far.push(hammingDistance(hashes[i] ?? "", hashes[j] ?? ""));
    }
  } finally {
    await c.close();
  }
  return { near, far };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]}, median ${s[Math.floor(s.length / 2)]}, max ${s[s.length - 1]} (${s.length} pairs)`;
};

export const imagesBench: Benchmark = {
  name: "images",
  title: "Image detection (nsfwjs + face-api + tesseract.js on tfjs WASM)",
  async run({ quick }) {
    const dir = await mkdtemp(join(tmpdir(), "bench-images-"));
    try {
      const n = quick ? 4 : 480;
      const small = await makeSet(dir, "s", n, 224, 224);
      const rows: Row[] = [];
      if (quick) {
        rows.push(await measure("224 px, classifier + faces, calling thread", small, { threads: 0 }));
      } else {
        rows.push(
          await measure("224 px, classifier only, 1 thread", small.slice(0, 240), {
            threads: 1,
            faces: false,
          }),
        );
        rows.push(await measure("224 px, classifier only, 2 threads", small, { threads: 2, faces: false }));
        rows.push(await measure("224 px, classifier + faces (320), 2 threads", small, { threads: 2 }));
        rows.push(
          await measure("224 px, classifier + faces on flagged only, 2 threads", small, {
            threads: 2,
            faces: "flagged",
          }),
        );
        const photos = await makeSet(dir, "p", 240, 1280, 960);
        rows.push(await measure("1280x960 JPEG, classifier + faces, 2 threads", photos, { threads: 2 }));
        const mixed = await makeSet(dir, "m", 240, 1280, 960, 10);
        rows.push(
          await measure("1280x960, 10% text, classifier + faces + OCR auto, 2 threads", mixed, {
            threads: 2,
            ocr: "auto",
            ocrWorkers: 2,
          }),
        );
        rows.push(
          await measure(
            "1280x960, 10% text, classifier + faces + OCR always, 2 threads",
            mixed.slice(0, 40),
            {
              threads: 2,
              ocr: "always",
              ocrWorkers: 2,
            },
          ),
        );
      }
      const table = [
        "| configuration | images | start-up incl. warm-up (s) | images/s | CPU ms per image | peak RSS (MB) | OCR run on | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        ...rows.map(
          (r) =>
            `| ${r.label} | ${r.images} | ${(r.startMs / 1000).toFixed(1)} | ${r.perSec.toFixed(1)} | ${r.cpuMsPerImage.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.ocrRead} | ${r.load.toFixed(1)} |`,
        ),
      ].join("\n");
      const ph = await phashSeparation(dir, quick ? 2 : 20);
      return `${table}

Perceptual hash, Hamming distance (of 64 bits) from a 1024x768 original to its copies (JPEG q35, resized
to 400 px, WebP q50 at 800 px, 2% border cropped): ${stats(ph.near)}. Between unrelated originals:
${stats(ph.far)}.

Images are synthetic (generated gradients, shapes and noise, plus rendered text): these figures are
throughput and memory only, not accuracy. Start-up includes loading the models in every worker and
one warm-up batch per worker. Peak RSS is the whole process (main thread, model workers and OCR workers).
CPU ms per image is the process's user + system time (all threads) over the timed run divided by the
images: on an idle machine with two cores, 2000 / (CPU ms per image) is the best images/s two threads
can reach. "load avg" is the 1-minute load average at the end of the run; this machine is shared with
other jobs, so wall-clock images/s fall when it is above 2.`;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
