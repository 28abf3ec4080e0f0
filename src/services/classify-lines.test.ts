import { beforeAll, describe, expect, it } from "vitest";
import {
  createTextClassifierCore,
  round,
  type TextClassifierCore,
} from "../domain/detect/text-classifier.ts";
import { mulberry32 } from "../../tests/helpers/random.ts";
import { classifyLineBatch, jsonNumber, probJson, recoverId, weightJson } from "./classify-lines.ts";
import { loadTextModels } from "./load-text-models.ts";

let core: TextClassifierCore;
beforeAll(async () => {
  core = createTextClassifierCore(await loadTextModels());
});

describe("jsonNumber", () => {
  it.each([0, 1, 0.5, 0.0041, 0.9999, 0.1, 0.12, 0.123, 12.345, -0.25, 1e-4, 3.2e-3, -0, 1e-7, 2 ** 40])(
    "formats %s exactly as JSON.stringify",
    (x) => {
      expect(jsonNumber(x)).toBe(JSON.stringify(x));
    },
  );
});

describe("numbers by table", () => {
  it("give JSON.stringify of the rounded value for many random probabilities and weights", () => {
    const rnd = mulberry32(5);
    const edges = [
      0,
      1,
      0.5,
      0.00005,
      0.99995,
      0.0004999,
      0.12345,
      1e-9,
      0.9999999,
      -0,
      NaN,
      1.00004,
      -0.00004,
    ];
    const probs = [...edges, ...Array.from({ length: 50_000 }, () => rnd())];
    for (const p of probs) expect(probJson(p)).toBe(JSON.stringify(round(p, 4)));
    // Reason weights: rounded to 3 decimals first, mostly in [0.05, 20], some beyond the table.
    const weights = [
      ...edges,
      20,
      20.0005,
      19.9995,
      123.4567,
      ...Array.from({ length: 50_000 }, () => 25 * rnd() ** 2),
    ];
    for (const w of weights) {
      const r = round(w, 3);
      expect(weightJson(r)).toBe(JSON.stringify(r));
    }
  });
});

describe("recoverId", () => {
  it("finds a string or numeric id at the start of a broken line", () => {
    expect(recoverId('{"id":"m-1","text":"unterminated')).toBe("m-1");
    expect(recoverId('{"text":"x", "id" : 42, ')).toBe(42);
    expect(recoverId("garbage")).toBeNull();
  });
});

describe("classifyLineBatch", () => {
  const ids: Array<string | number> = [
    'a"b\\c',
    "\u2028\u2029\u0000\u001f",
    "\ud800 lone",
    "😂 émoji",
    "</script>",
    0,
    -0,
    1.5e300,
    -12.25,
    Number.MAX_SAFE_INTEGER,
    7,
    10,
    999_999_999,
    1e9,
    123.5,
    "plain-id_42",
    "",
  ];
  const texts = ["she's a right s l a g", "send pics 🍆 😂😂", "morning all", '"quoted" \\ back'];

  it("writes exactly JSON.stringify of the classified result, hostile ids and text included", () => {
    const lines: string[] = [];
    const inputs = ids.flatMap((id, i) => [
      { id, text: texts[i % texts.length] ?? "" },
      { id, text: "+1", replyTo: texts[(i + 1) % texts.length] ?? "", extra: [1] },
    ]);
    for (const input of inputs) lines.push(JSON.stringify(input));
    const out = classifyLineBatch(core, { bytes: Buffer.from(lines.join("\r\n") + "\n"), firstLine: 1 });
    const expected = inputs.map((i) => {
      const { extra: _extra, ...input } = { extra: undefined, ...i };
      return JSON.stringify(core.classify(input)) + "\n";
    });
    expect(Buffer.from(out.text).toString("utf8")).toBe(expected.join(""));
    expect(out.lines).toBe(inputs.length);
    expect(out.errors).toBe(0);
  });

  it("numbers lines across blank ones and reports bad ones in place", () => {
    const bytes = Buffer.concat([
      Buffer.from('\n{"id":1,"text":"hi"}\n  \t\n{"id":2,"text":'),
      Buffer.from([0xff]),
      Buffer.from('"}\n[1]\n{"id":3,"text":"   "}\n{"id":4,"text":"ok","replyTo":null}'),
    ]);
    const out = Buffer.from(classifyLineBatch(core, { bytes, firstLine: 10 }).text)
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o.id, o.line])).toEqual([
      [1, undefined],
      [2, 13],
      [null, 14],
      [3, 15],
      [4, 16],
    ]);
    expect(out.map((o) => o.error)).toEqual([
      undefined,
      "invalid UTF-8",
      expect.stringContaining("input"),
      "empty text",
      expect.stringContaining("replyTo"),
    ]);
  });
});
