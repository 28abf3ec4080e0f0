/**
 * @module ocr-pool
 * A pool of tesseract.js workers reading English text out of images, entirely offline: the language
 * data is read from @tesseract.js-data/eng inside node_modules (`langPath` is a file path, so
 * tesseract.js reads it from disk instead of fetching its CDN default) and `cacheMethod: "none"`
 * stops it from writing a copy into the working directory. The core .wasm comes from tesseract.js-core.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createScheduler, createWorker, OEM, type Block, type Scheduler } from "tesseract.js";

const require = createRequire(import.meta.url);

/**
 * Words tesseract is less sure of than this (0..100) are dropped: on photographs it "reads" texture as
 * short words at confidence 0-70, while rendered text comes back at 90-96 (ADR 020).
 */
export const MIN_WORD_CONFIDENCE = 75;
/** A word with a single letter or digit is kept only at this confidence (stray "1", "a", "i" on photos). */
export const MIN_SHORT_WORD_CONFIDENCE = 90;

/** The offline worker options; exported so a test can check no URL is involved. */
export function offlineTesseractOptions(): { langPath: string; cacheMethod: "none"; gzip: true } {
  const dir = dirname(require.resolve("@tesseract.js-data/eng/package.json"));
  return { langPath: join(dir, "4.0.0_best_int"), cacheMethod: "none", gzip: true };
}

export interface OcrPool {
  /** Text found in the image (PNG/JPEG bytes), unsure words removed (see keepWord); "" for none. */
  read(image: Uint8Array): Promise<string>;
  close(): Promise<void>;
}

/** Starts `size` tesseract workers (each a worker thread with its own WASM instance, ~40 MB). */
export async function createOcrPool(size: number): Promise<OcrPool> {
  const scheduler: Scheduler = createScheduler();
  const workers = await Promise.all(
    Array.from({ length: Math.max(1, size) }, async () => {
      const w = await createWorker("eng", OEM.LSTM_ONLY, offlineTesseractOptions());
      // Sharp-made PNGs carry no resolution; tell tesseract one so it does not warn on stderr.
      await w.setParameters({ user_defined_dpi: "72" });
      return w;
    }),
  );
  for (const w of workers) scheduler.addWorker(w);
  return {
    async read(image) {
      const r = await scheduler.addJob("recognize", Buffer.from(image), {}, { text: true, blocks: true });
      return confidentText(r.data.blocks);
    },
    async close() {
      await scheduler.terminate();
    },
  };
}

/** Joins the confident words line by line. */
function confidentText(blocks: Block[] | null): string {
  const lines: string[] = [];
  for (const block of blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const words = line.words.filter(keepWord).map((w) => w.text);
        if (words.length > 0) lines.push(words.join(" "));
      }
    }
  }
  return lines.join("\n");
}

/** Whether a recognised word is confident enough to report. */
export function keepWord(w: { text: string; confidence: number }): boolean {
  const alnum = w.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (alnum === 0) return false;
  return w.confidence >= (alnum === 1 ? MIN_SHORT_WORD_CONFIDENCE : MIN_WORD_CONFIDENCE);
}
