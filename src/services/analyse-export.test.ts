import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AnalysisReportSchema } from "../contract/analysis.ts";
import type { ClassifyInput, ClassifyResult, ImageResult } from "../contract/detection.ts";
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
});
