import { describe, expect, it } from "vitest";
import type { ClassifyResult } from "../contract/detection.ts";
import { recoverId, resultToJson } from "./classify-lines.ts";

describe("resultToJson", () => {
  it.each([0, 1, 0.5, 0.0041, 0.9999, 0.1, 0.12, 0.123, 12.345, -0.25, 1e-4, 3.2e-3])(
    "formats %s exactly as JSON.stringify",
    (x) => {
      const r: ClassifyResult = {
        id: 'a"b',
        scores: { sexual: x, misogyny: 0, racism: 1, homophobia: x, derogatory: 0.5, threat: 0.0001 },
        flagged: ["racism"],
        reasons: [{ category: "racism", evidence: 'p "q"', weight: x }],
        stance: { challenge: x, endorse: 0.25, neutral: 0.75 },
      };
      expect(resultToJson(r)).toBe(JSON.stringify(r));
    },
  );

  it("omits stance when absent", () => {
    const r: ClassifyResult = {
      id: 3,
      scores: { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 },
      flagged: [],
      reasons: [],
    };
    expect(resultToJson(r)).toBe(JSON.stringify(r));
  });
});

describe("recoverId", () => {
  it("finds a string or numeric id at the start of a broken line", () => {
    expect(recoverId('{"id":"m-1","text":"unterminated')).toBe("m-1");
    expect(recoverId('{"text":"x", "id" : 42, ')).toBe(42);
    expect(recoverId("garbage")).toBeNull();
  });
});
