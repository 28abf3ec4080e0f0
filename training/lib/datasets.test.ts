import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMessageExamples, sharedDataDir } from "./datasets.ts";

describe.skipIf(!existsSync(sharedDataDir()))("maskRoutedIdentity (lab option)", () => {
  it("removes neutral identity words from routed public positives only, and keeps every split", () => {
    const plain = loadMessageExamples();
    const masked = loadMessageExamples(undefined, undefined, { maskRoutedIdentity: true });
    expect(masked.map((e) => [e.source, e.id, e.part])).toEqual(plain.map((e) => [e.source, e.id, e.part]));
    let changed = 0;
    masked.forEach((e, i) => {
      const before = plain[i];
      const routed =
        (e.source === "hatexplain" || e.source === "davidson") &&
        (e.labels.racism === 1 || e.labels.homophobia === 1);
      if (!routed) {
        expect(e.text).toBe(before?.text);
        return;
      }
      expect(e.text).not.toMatch(/\b(gays?|muslims?|jews?|chinese|lesbians?|trans)\b/i);
      if (e.text !== before?.text) changed++;
    });
    // Most routed positives name a group with a neutral word (the rest only with a slur, kept).
    expect(changed).toBeGreaterThan(1000);
  });
});
