import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keepWord, offlineTesseractOptions } from "./ocr-pool.ts";

describe("offlineTesseractOptions", () => {
  it("points at the English data inside node_modules, by file path, with caching off", () => {
    const o = offlineTesseractOptions();
    expect(o.langPath).not.toMatch(/^[a-z]+:\/\//i);
    expect(existsSync(join(o.langPath, "eng.traineddata.gz"))).toBe(true);
    expect(o.cacheMethod).toBe("none");
  });
});

describe("keepWord", () => {
  it("keeps confident words and drops unsure ones", () => {
    expect(keepWord({ text: "sergeant", confidence: 96 })).toBe(true);
    expect(keepWord({ text: "Sa", confidence: 41 })).toBe(false);
    expect(keepWord({ text: "af", confidence: 74 })).toBe(false);
  });

  it("asks more of single characters and drops pure punctuation", () => {
    expect(keepWord({ text: "4", confidence: 81 })).toBe(false);
    expect(keepWord({ text: "a", confidence: 95 })).toBe(true);
    expect(keepWord({ text: "|", confidence: 96 })).toBe(false);
    expect(keepWord({ text: "1°", confidence: 80 })).toBe(false);
  });
});
