import { describe, expect, it } from "vitest";
import {
  isRealPersonLikely,
  mapNsfwToImageClass,
  toNsfwProbabilities,
  type NsfwProbabilities,
} from "./nsfw-mapping.ts";

const p = (over: Partial<NsfwProbabilities>): NsfwProbabilities => ({
  Drawing: 0,
  Hentai: 0,
  Neutral: 0,
  Porn: 0,
  Sexy: 0,
  ...over,
});

describe("mapNsfwToImageClass", () => {
  it("calls a pornographic photo explicit", () => {
    expect(mapNsfwToImageClass(p({ Porn: 0.9, Neutral: 0.1 })).class).toBe("explicit");
  });

  it("calls explicit drawings (Hentai) explicit too", () => {
    expect(mapNsfwToImageClass(p({ Hentai: 0.7, Drawing: 0.3 })).class).toBe("explicit");
  });

  it("adds Porn and Hentai: neither alone reaches 0.5 but together they do", () => {
    const r = mapNsfwToImageClass(p({ Porn: 0.3, Hentai: 0.25, Neutral: 0.45 }));
    expect(r.class).toBe("explicit");
    expect(r.scores.explicit).toBeCloseTo(0.55);
  });

  it("calls a Sexy-dominant image suggestive", () => {
    expect(mapNsfwToImageClass(p({ Sexy: 0.8, Neutral: 0.2 })).class).toBe("suggestive");
  });

  it("calls it suggestive when sexual mass is split between explicit and sexy", () => {
    expect(mapNsfwToImageClass(p({ Porn: 0.3, Sexy: 0.3, Neutral: 0.4 })).class).toBe("suggestive");
  });

  it("calls ordinary photos and non-sexual drawings neutral", () => {
    expect(mapNsfwToImageClass(p({ Neutral: 0.95, Sexy: 0.05 })).class).toBe("neutral");
    expect(mapNsfwToImageClass(p({ Drawing: 0.8, Hentai: 0.15, Neutral: 0.05 })).class).toBe("neutral");
  });

  it("groups the scores so they keep summing to the input's total", () => {
    const r = mapNsfwToImageClass(p({ Drawing: 0.1, Hentai: 0.2, Neutral: 0.3, Porn: 0.15, Sexy: 0.25 }));
    expect(r.scores.explicit).toBeCloseTo(0.35);
    expect(r.scores.suggestive).toBeCloseTo(0.25);
    expect(r.scores.neutral).toBeCloseTo(0.4);
    expect(r.scores.explicit + r.scores.suggestive + r.scores.neutral).toBeCloseTo(1);
  });

  it("puts the boundary at exactly 0.5", () => {
    expect(mapNsfwToImageClass(p({ Porn: 0.5, Neutral: 0.5 })).class).toBe("explicit");
    expect(mapNsfwToImageClass(p({ Porn: 0.49, Neutral: 0.51 })).class).toBe("neutral");
  });
});

describe("isRealPersonLikely", () => {
  it("needs a face", () => {
    expect(isRealPersonLikely(0, p({ Neutral: 1 }))).toBe(false);
    expect(isRealPersonLikely(2, p({ Neutral: 1 }))).toBe(true);
  });

  it("is false for a face in a drawing or hentai", () => {
    expect(isRealPersonLikely(1, p({ Drawing: 0.6, Neutral: 0.4 }))).toBe(false);
    expect(isRealPersonLikely(1, p({ Drawing: 0.3, Hentai: 0.3, Porn: 0.4 }))).toBe(false);
    expect(isRealPersonLikely(1, p({ Drawing: 0.3, Porn: 0.7 }))).toBe(true);
  });
});

describe("toNsfwProbabilities", () => {
  it("fills missing classes with 0 and ignores unknown names", () => {
    expect(
      toNsfwProbabilities([
        { className: "Porn", probability: 0.6 },
        { className: "Sexy", probability: 0.4 },
        { className: "Cat", probability: 1 },
      ]),
    ).toEqual({ Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0.6, Sexy: 0.4 });
  });
});
