/**
 * End-to-end analysis of a large synthetic export: 100,000 messages (bench/generate-export.ts, iOS, with
 * a flagged phrase planted in about 1% of messages) and 2,000 synthetic pictures in the zip, through
 * parse → text classifier → image classifier (no OCR: tesseract runs at about a second a picture) →
 * reply stance → conduct analysis → HTML + JSON. Reports the time of each stage. The picture stage
 * overlaps parse and text (pictures go to the image workers as they are extracted), so its row is its
 * own wall time and "imagesWait" the part after parse and text had finished: rows do not add up.
 * `--quick`: 2,000 messages and 10 pictures.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createWriteStream, existsSync } from "node:fs";
import { once } from "node:events";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import yazl from "yazl";
import type { Benchmark } from "./benchmark.ts";
import { generateExport } from "./generate-export.ts";
import { analyseExport } from "../src/services/analyse-export.ts";
import { openClassifiers } from "../src/services/analysis/open-classifiers.ts";
import { writeReport } from "../src/services/report/write-report.ts";

const PLANTED = [
  " she's well fit, wouldn't mind",
  " women can't handle response",
  " 😂😂",
  " +1",
  " not on mate, delete that",
];

/** A small synthetic picture: a coloured panel with shapes, different for each seed. */
async function picture(seed: number): Promise<Buffer> {
  const hue = (seed * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="hsl(${hue},60%,70%)"/><circle cx="${40 + (seed % 240)}" cy="${40 + ((seed * 7) % 160)}" r="${20 + (seed % 40)}" fill="hsl(${(hue + 120) % 360},70%,40%)"/><rect x="${(seed * 13) % 200}" y="150" width="90" height="60" fill="#222"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 75 }).toBuffer();
}

async function buildZip(
  path: string,
  messages: number,
  images: number,
): Promise<{ attachments: number; bytes: number }> {
  let text = "";
  let n = 0;
  for (const chunk of generateExport({ variant: "ios", messages, seed: 7 })) {
    text += chunk;
  }
  // Plant flagged phrases and replies deterministically in ordinary one-line messages.
  const lines = text
    .split("\n")
    .map((l) =>
      l.startsWith("[") && !l.includes("\u200e") && n++ % 97 === 0
        ? l + (PLANTED[n % PLANTED.length] ?? "")
        : l,
    );
  text = lines.join("\n");
  const names = [...text.matchAll(/<attached: ([^>]+)>/g)].map((m) => m[1] ?? "").slice(0, images);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(text, "utf8"), "_chat.txt");
  for (let i = 0; i < names.length; i++) {
    zip.addBuffer(await picture(i), names[i] ?? `x${i}.jpg`, { compress: false });
  }
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, "finish");
  return { attachments: names.length, bytes: Buffer.byteLength(text) };
}

export const analyseBenchmark: Benchmark = {
  name: "analyse",
  title:
    "Analysis of one export end to end (parse, classify texts, pictures and replies, conduct analysis, report)",
  async run({ quick }) {
    const messages = quick ? 2000 : 100_000;
    const images = quick ? 10 : 2000;
    const models = process.env.UPSTANDER_TEXT_MODELS ?? fileURLToPath(new URL("../models", import.meta.url));
    if (!existsSync(join(models, "text-messages.json"))) {
      return `Text models not found in ${models}: not run.`;
    }
    const dir = await mkdtemp(join(tmpdir(), "upstander-bench-analyse-"));
    try {
      const zipPath = join(dir, "export.zip");
      const made = await buildZip(zipPath, messages, images);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const cls = await openClassifiers({ ocr: false, textModels: models });
      const tLoad = performance.now() - t0;
      try {
        const res = await analyseExport(
          zipPath,
          { text: cls.text, images: cls.images },
          { workDir: join(dir, "media") },
        );
        const t1 = performance.now();
        await writeReport(res.report, res.media, { html: join(dir, "r.html"), json: join(dir, "a.json") });
        const tReport = performance.now() - t1;
        const total = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        const c = res.report.conduct;
        const rows = [
          ["load models", tLoad],
          ...Object.entries(res.report.timings),
          ["report (HTML + JSON)", tReport],
          ["total", total],
        ];
        await writeFile(join(dir, "done"), "");
        return [
          `Export: ${messages.toLocaleString("en-GB")} messages generated (${(made.bytes / 2 ** 20).toFixed(1)} MiB of text), ${made.attachments} pictures in the zip (320×240 JPEG), ${res.report.export.recordCount.toLocaleString("en-GB")} records parsed. OCR off.`,
          `Result: ${c.items.length} flagged items, ${c.items.reduce((a, i) => a + i.replies.length, 0)} replies judged, ${c.participants.length} participants.`,
          "",
          "| stage | seconds |",
          "|---|---|",
          ...rows.map(([k, v]) => `| ${String(k)} | ${(Number(v) / 1000).toFixed(2)} |`),
          "",
          `Stages overlap: "images" is the wall time of the picture stage, which runs in worker threads while the chat is parsed and its texts classified; "imagesWait" is the part of it after those had finished. Faces are looked for on pictures classed explicit or suggestive only (ADR 020). Load average (1 min) at the end: ${os.loadavg()[0]?.toFixed(1) ?? "?"}; process CPU (user + system, all threads) ${(cpuMs / 1000).toFixed(1)} s.`,
          "",
          `Target: under 60 s in total on a 2-core machine.`,
        ].join("\n");
      } finally {
        await cls.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
