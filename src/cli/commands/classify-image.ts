/**
 * @module classify-image
 * `upstander classify-image <file>...`: one JSON line (ImageResult) per image on stdout, in argument
 * order. A file that cannot be read or decoded gets a line with `error`; the exit code stays 0 unless
 * every image failed (then 1), so one bad attachment never hides the others' results.
 */
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError } from "commander";

interface Flags {
  ocr: boolean;
  ocrAll: boolean;
  faces: boolean;
  facesFlaggedOnly: boolean;
  threads?: number;
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number >= 0");
  return n;
}

export function registerClassifyImageCommand(program: Command): void {
  program
    .command("classify-image")
    .description(
      "Classify images as explicit, suggestive or neutral; count faces; perceptual hash; optional OCR. " +
        "Prints one JSON line per file, in argument order. Exit code 1 only when every file failed.",
    )
    .argument("<files...>", "image files (JPEG, PNG, WebP, GIF, TIFF, AVIF)")
    .option("--ocr", "also read text in images that look like they hold text (screenshots, captions)", false)
    .option("--ocr-all", "read text in every image (seconds per photograph)", false)
    .option("--no-faces", "skip face detection (no faces / realPersonLikely fields)")
    .option("--faces-flagged-only", "detect faces only in images classed explicit or suggestive", false)
    .option(
      "--threads <n>",
      "worker threads holding the models (0 = this thread; default: 0 for a few files, else the cores)",
      nonNegativeInt,
    )
    .action(async (files: string[], flags: Flags) => {
      // Imported here so other commands do not pay for loading TensorFlow.js, face-api and tesseract.
      const { createImageClassifier } = await import("../../services/classify-images.ts");
      // Starting a worker costs a model load (~1 s); for a handful of files this thread is quicker.
      const threads = flags.threads ?? (files.length <= 8 ? 0 : Math.min(4, availableParallelism()));
      const classifier = await createImageClassifier({
        ocr: flags.ocrAll ? "always" : flags.ocr,
        faces: flags.faces && flags.facesFlaggedOnly ? "flagged" : flags.faces,
        threads,
        ocrWorkers: Math.max(1, Math.min(threads, files.length)),
      });
      let failed = 0;
      try {
        for await (const r of classifier.classify(files)) {
          if (r.error !== undefined && r.class === undefined) failed++;
          process.stdout.write(`${JSON.stringify(r)}\n`);
        }
      } finally {
        await classifier.close();
      }
      if (files.length > 0 && failed === files.length) {
        process.stderr.write(`upstander: none of the ${files.length} image(s) could be classified\n`);
        process.exitCode = 1;
      }
    });
}
