import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AnalysisReportSchema } from "../contract/analysis.ts";
import type { ClassifyInput, ClassifyResult, ImageResult } from "../contract/detection.ts";
import { makeZip } from "../../tests/helpers/zip.ts";
import { analyseExport, type ImageClassifierPort, type TextClassifierPort } from "./analyse-export.ts";

const DEMO = fileURLToPath(
  new URL("../../tests/fixtures/exports/demo/WhatsApp Chat - Response Team B.zip", import.meta.url),
);

/**
 * A test double, not a model: flags a few fixed phrases and reads stance from fixed words, so the
 * pipeline (batching, windows, stance requests, OCR routing) can be tested without trained models.
 */
function keywordClassifier(calls: ClassifyInput[][]): TextClassifierPort {
  const zero = { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 };
  return {
    models: [{ name: "keyword test double", version: "0", thresholds: {} }],
    classify: (inputs) => {
      calls.push(inputs);
      return Promise.resolve(
        inputs.map((i): ClassifyResult => {
          const sexual = /searching her|fit bird|asking for it|cuff me/i.test(i.text);
          const misogyny = /women (shouldn't|belong)|BELONG IN THE KITCHEN/i.test(i.text);
          const flagged = [
            ...(sexual ? (["sexual"] as const) : []),
            ...(misogyny ? (["misogyny"] as const) : []),
          ];
          const base = {
            id: i.id,
            scores: { ...zero, sexual: sexual ? 0.9 : 0, misogyny: misogyny ? 0.9 : 0 },
            flagged,
            reasons: [],
          };
          if (i.replyTo === undefined) {
            return base;
          }
          const challenge = /not on|reporting this/i.test(i.text) ? 0.9 : 0;
          const endorse = /😂|🤣|\+1|lol|legend|get in|100%/i.test(i.text) ? 0.9 : 0;
          return { ...base, stance: { challenge, endorse, neutral: 1 - Math.max(challenge, endorse) } };
        }),
      );
    },
  };
}

/** Image double: every picture neutral; the meme's text as OCR output. */
const images: ImageClassifierPort = {
  models: [{ name: "image test double", version: "0", thresholds: {} }],
  classifyAll: (files) =>
    Promise.resolve(
      files.map((file): ImageResult => ({
        file,
        class: "neutral",
        realPersonLikely: false,
        phash: /00000031|00000052/.test(file) ? "cceee6669c983119" : "0123456789abcdef",
        ocrText: /00000031|00000052/.test(file) ? "WOMEN BELONG IN THE KITCHEN NOT IN RESPONSE CARS" : "",
      })),
    ),
};

describe("analyseExport", () => {
  it("should parse the zip, classify texts, OCR text and each reply in a window, and return a valid report", async () => {
    const calls: ClassifyInput[][] = [];
    const res = await analyseExport(
      DEMO,
      { text: keywordClassifier(calls), images, now: () => new Date("2024-06-01T00:00:00Z") },
      { caseRef: "T-1", batchSize: 10 },
    );
    try {
      expect(() => AnalysisReportSchema.parse(res.report)).not.toThrow();
      expect(res.report.export.members).toHaveLength(4);
      expect(calls.every((b) => b.length <= 10)).toBe(true);
      const stanceCalls = calls.flat().filter((i) => i.replyTo !== undefined);
      const flagged = res.report.conduct.items;
      expect(stanceCalls.length).toBe(flagged.reduce((a, i) => a + i.replies.length, 0));
      // The meme is flagged through the text read inside it, and its repost is amplification.
      const meme = flagged.filter((i) => i.sources.some((s) => s.kind === "ocr"));
      expect(meme.map((i) => [i.participant, i.role])).toEqual([
        ["Gary Holt", "originator"],
        ["Ryan Cole", "amplifier"],
      ]);
      const priya = res.report.conduct.participants.find((p) => p.name === "Priya Shah");
      expect(priya?.challenges.map((c) => c.to)).toEqual(["Gary Holt", "Ryan Cole"]);
      expect(res.report.acquisition).toMatchObject({
        caseRef: "T-1",
        analysedAt: "2024-06-01T00:00:00.000Z",
      });
    } finally {
      await res.dispose();
    }
  });

  it("should say in the limitations when pictures were not classified", async () => {
    const res = await analyseExport(DEMO, { text: keywordClassifier([]) });
    await res.dispose();
    expect(res.report.limitations.join(" ")).toContain("Pictures were not classified");
    expect(res.report.conduct.items.every((i) => i.sources.every((s) => s.kind === "text"))).toBe(true);
  });

  it("should classify identical pictures once, reuse the result for every copy, and keep per-batch failures local", async () => {
    const dir = await mkdtemp(join(tmpdir(), "analyse-dedup-"));
    try {
      const lrm = "\u200e";
      const line = (t: string, who: string, file: string) =>
        `[05/02/2024, ${t}] ${who}: ${lrm}<attached: ${file}>`;
      const chat = [
        `[05/02/2024, 09:00:00] Dave Mercer: Morning all`,
        line("09:01:00", "Gary Holt", "00000001-PHOTO-2024-02-05-09-01-00.jpg"),
        line("09:02:00", "Ryan Cole", "00000002-PHOTO-2024-02-05-09-02-00.jpg"),
        line("09:03:00", "Tom Whitaker", "00000003-PHOTO-2024-02-05-09-03-00.jpg"),
        line("09:04:00", "Tom Whitaker", "00000004-PHOTO-2024-02-05-09-04-00.jpg"),
        `[05/02/2024, 09:05:00] Dave Mercer: ok`,
      ].join("\n");
      const zip = join(dir, "WhatsApp Chat - Dedup.zip");
      await writeFile(
        zip,
        await makeZip([
          { name: "_chat.txt", data: chat },
          // 1 and 2 are the same bytes (a repost); 3 differs; 4 makes the classifier fail its batch.
          { name: "00000001-PHOTO-2024-02-05-09-01-00.jpg", data: "same picture bytes" },
          { name: "00000002-PHOTO-2024-02-05-09-02-00.jpg", data: "same picture bytes" },
          { name: "00000003-PHOTO-2024-02-05-09-03-00.jpg", data: "another picture" },
          { name: "00000004-PHOTO-2024-02-05-09-04-00.jpg", data: "breaks the classifier" },
          // No message refers to this one: it is never sent to the classifier.
          { name: "00000009-PHOTO-2024-02-05-09-09-00.jpg", data: "a picture nobody posted" },
        ]),
      );
      const seen: string[][] = [];
      const counting: ImageClassifierPort = {
        models: [],
        classifyAll: (files) => {
          seen.push([...files]);
          if (files.some((f) => f.includes("00000004"))) {
            return Promise.reject(new Error("worker crashed"));
          }
          return Promise.resolve(
            files.map((file): ImageResult => ({
              file,
              class: "suggestive",
              realPersonLikely: true,
              phash: "0123456789abcdef",
            })),
          );
        },
      };
      const res = await analyseExport(
        zip,
        { text: keywordClassifier([]), images: counting },
        { imageBatchSize: 1 },
      );
      try {
        // Three distinct files classified, one call each (batch size 1): the repost was not sent again,
        // nor the member no message refers to.
        expect(seen.flat()).toHaveLength(3);
        expect(seen.flat().some((f) => f.includes("00000009"))).toBe(false);
        const flaggedFiles = res.report.conduct.items.flatMap((i) =>
          i.sources.filter((x) => x.kind === "image").map((x) => (x.fileName ?? "").slice(0, 8)),
        );
        // The repost carries the same result under its own name; the failed batch flags nothing.
        expect(flaggedFiles.sort()).toEqual(["00000001", "00000002", "00000003"]);
        const occ = res.report.conduct.images.flatMap((g) => g.occurrences);
        const one = occ.find((o) => o.fileName.startsWith("00000001"));
        const two = occ.find((o) => o.fileName.startsWith("00000002"));
        expect(two).toMatchObject({ class: "suggestive", phash: one?.phash, sha256: one?.sha256 });
        expect(two?.recordIndex).not.toBe(one?.recordIndex);
      } finally {
        await res.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
