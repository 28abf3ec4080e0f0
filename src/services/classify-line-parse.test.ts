import { describe, expect, it } from "vitest";
import { parsePlainLine } from "./classify-line-parse.ts";

/** JSON.parse's value for a line; undefined when it throws. */
function viaJsonParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const PIECES = [
  "a",
  "Z",
  " ",
  '"',
  "\\",
  "/",
  "\n",
  "\r",
  "\t",
  "\b",
  "\f",
  "\u0000",
  "\u001f",
  "\u007f",
  "é",
  "😂",
  "\ud83d",
  "\ude02",
  "\u2028",
  "\ufeff",
  "}",
  "{",
  ",",
  ":",
  "\\u",
  "\\ud83d",
  "\\ude02",
  "\\u00e9",
  "\\uZZZZ",
  "\\u12",
  "\\x",
  "\\'",
  '\\"',
  "\\\\",
  "\\/",
  "\\n",
  "\\t",
  "\\b",
  "\\f",
  "\\r",
  "0",
  "9",
];
const NUMBERS = [
  "0",
  "-0",
  "7",
  "-12",
  "00",
  "01",
  "1.",
  ".5",
  "1.5",
  "-1.25e3",
  "1e400",
  "-1e-400",
  "1E+2",
  "1e",
  "1e+",
  "123456789012345678901234567890",
  "9007199254740993",
  "0.1",
  "2.2250738585072011e-308",
  "+1",
  "- 1",
  "Infinity",
  "NaN",
  "0x10",
  "1_000",
];

/** A JSON string literal's inside, sometimes broken: raw pieces (escaped or not) concatenated. */
function stringBody(r: () => number): string {
  const n = Math.floor(r() * 8);
  let s = "";
  for (let i = 0; i < n; i++) {
    const p = PIECES[Math.floor(r() * PIECES.length)] ?? "";
    // Mostly valid: raw text escaped by JSON.stringify; sometimes the piece as it is.
    s += r() < 0.7 ? JSON.stringify(p).slice(1, -1) : p;
  }
  return s;
}

function idLiteral(r: () => number): string {
  const k = r();
  if (k < 0.4) return `"${stringBody(r)}"`;
  if (k < 0.85) return NUMBERS[Math.floor(r() * NUMBERS.length)] ?? "0";
  return ["null", "true", "[1]", '{"a":1}', '"unterminated', ""][Math.floor(r() * 6)] ?? "";
}

/** A line of the plain shape, or one mutated into a near miss. */
function line(r: () => number): string {
  let s = `{"id":${idLiteral(r)},"text":"${stringBody(r)}"`;
  if (r() < 0.4) s += `,"replyTo":"${stringBody(r)}"`;
  if (r() < 0.1) {
    s += [',"x":1', ',"text":"dup"', ',"replyTo":null', ",", " ", '"'][Math.floor(r() * 6)] ?? "";
  }
  s += "}";
  if (r() < 0.15) {
    // A random edit somewhere: delete, insert or replace one character.
    const at = Math.floor(r() * (s.length + 1));
    const c = PIECES[Math.floor(r() * PIECES.length)] ?? "";
    const k = r();
    s =
      k < 0.33
        ? s.slice(0, at) + s.slice(at + 1)
        : k < 0.66
          ? s.slice(0, at) + c + s.slice(at)
          : s.slice(0, at) + c + s.slice(at + 1);
  }
  return s;
}

describe("parsePlainLine", () => {
  it("gives exactly what JSON.parse gives, or leaves the line to it (generated and mutated lines)", () => {
    const r = rng(20261205);
    let taken = 0;
    for (let i = 0; i < 200_000; i++) {
      const s = line(r);
      const fast = parsePlainLine(s);
      if (fast === undefined) continue;
      taken++;
      // Object.is on the id tells -0 from 0; toEqual compares the rest, key order included below.
      const slow = viaJsonParse(s) as { id: unknown } | undefined;
      expect(slow, s).toBeDefined();
      expect(Object.is(fast.id, slow?.id), s).toBe(true);
      expect(fast, s).toStrictEqual(slow);
      expect(Object.keys(fast), s).toEqual(Object.keys(slow ?? {}));
    }
    // The fast path takes most well-formed lines; otherwise the comparison above proves little.
    expect(taken).toBeGreaterThan(50_000);
  });

  it("decodes every escape, surrogate pairs and lone surrogates included", () => {
    const texts = [
      "",
      "plain",
      'q"uote',
      "back\\slash",
      "ctl\u0000\u001f\b\f\n\r\t",
      "😂🍆",
      "\ud83d",
      "x\ude02y",
      "é\u2028\ufeff/",
    ];
    for (const text of texts) {
      for (const s of [
        JSON.stringify({ id: "a", text, replyTo: text }),
        // Every character as \\uXXXX.
        `{"id":1,"text":"${[...text].map((c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")).join("")}"}`,
        `{"id":-0,"text":"\\/${JSON.stringify(text).slice(1, -1)}\\/"}`,
      ]) {
        expect(parsePlainLine(s), s).toStrictEqual(viaJsonParse(s));
      }
    }
  });

  it("leaves anything but the plain shape to the general path", () => {
    for (const s of [
      '{"text":"a","id":1}',
      '{ "id":1,"text":"a"}',
      '{"id":1,"text":"a"} ',
      '{"id":1,"text":"a","extra":1}',
      '{"id":1,"text":"a","replyTo":"b","text":"c"}',
      '{"id":1,"text":"a","replyTo":null}',
      '{"id":true,"text":"a"}',
      '{"id":01,"text":"a"}',
      '{"id":1,"text":"a\tb"}',
      '{"id":1,"text":"\\x41"}',
      '{"id":1,"text":"\\u00g1"}',
      '{"id":1,"text":"a}',
      '{"id":1,"text":"a"',
    ]) {
      expect(parsePlainLine(s), s).toBeUndefined();
    }
  });
});
