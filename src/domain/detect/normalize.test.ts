import { describe, expect, it } from "vitest";
import { normalizeText, normalizeTokens } from "./normalize.ts";

describe("normalizeText", () => {
  it.each([
    ["leetspeak", "what a sl@g", "what a slag"],
    ["leetspeak with digits", "b1tch", "bitch"],
    ["leetspeak slur", "n1gg3r", "nigger"],
    ["repeated letters", "biiiiiitch", "bitch"],
    ["repeated letters in ordinary words are kept short", "soooo good", "soo good"],
    ["letters split by spaces", "she's a s l a g", "she's a slag"],
    ["spaced letters inside a phrase", "f u c k off", "fuck off"],
    ["letters split by dots", "b.i.t.c.h", "bitch"],
    ["letters split by hyphens", "c-u-n-t", "cunt"],
    ["asterisk mask", "what a b*tch", "what a bitch"],
    ["multi-character mask", "f***ing brilliant", "fucking brilliant"],
    ["Cyrillic look-alikes", "ѕlаg", "slag"],
    ["Greek look-alikes", "ναgιnα", "vagina"],
    ["fullwidth letters", "ｂｉｔｃｈ", "bitch"],
    ["mathematical bold letters", "𝐛𝐢𝐭𝐜𝐡", "bitch"],
    ["mathematical script letters", "𝓈𝓁𝓊𝓉", "slut"],
    ["accents", "Café résumé", "cafe resume"],
    ["zero-width characters", "h\u200be\u200bl\u200bl\u200bo", "hello"],
    ["emoji standing for words", "I'd 🔪 him", "i'd stab him"],
    ["sexual emoji", "send pics 🍆", "send pics dick"],
    ["laughing emoji", "😂😂", "lol lol"],
    ["flag emoji sequence", "🏳️‍🌈", "gay"],
    ["HTML entities", "you &amp; me", "you me"],
  ])("%s: %s", (_kind, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it("keeps +1, question and exclamation marks as tokens", () => {
    expect(normalizeTokens("+1")).toEqual(["+1"]);
    expect(normalizeTokens("you what?")).toEqual(["you", "what", "?"]);
    expect(normalizeTokens("get in!")).toEqual(["get", "in", "!"]);
  });

  it("does not mangle ordinary numbers, names with digits or mentions", () => {
    expect(normalizeText("team1 at 10:30")).toBe("team1 at 10 30");
    expect(normalizeText("@dave can you cover")).toBe("dave can you cover");
    expect(normalizeText("u r a legend")).toBe("u r a legend");
  });

  it("is deterministic and total on odd input", () => {
    const odd = "\u0000\ud800 ** ... ??? 🙃🙃 \u202e";
    expect(normalizeText(odd)).toBe(normalizeText(odd));
    expect(normalizeText("")).toBe("");
  });
});

describe("normalizeText on hostile input", () => {
  it("handles a long run of single letters without quadratic blow-up", () => {
    const run = Array.from({ length: 20_000 }, (_, i) => "abcdefghij"[i % 10]).join(" ");
    const out = normalizeTokens(`${run} s l a g`);
    expect(out.at(-1)).toBe("slag");
  });
});
