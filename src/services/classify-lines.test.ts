import { beforeAll, describe, expect, it } from "vitest";
import { createTextClassifierCore, type TextClassifierCore } from "../domain/detect/text-classifier.ts";
import { classifyLineBatch, jsonNumber, recoverId } from "./classify-lines.ts";
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
