import { describe, expect, it } from "vitest";
import { AppError } from "../../../contract/errors.ts";
import { memorySource, parseFixture, parseSource } from "../../../../tests/helpers/parse-whatsapp.ts";
import { whatsappFormat } from "./parse.ts";

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe("WhatsApp date order", () => {
  it("should report an ambiguous file with both readings instead of guessing silently", async () => {
    const { records, summary } = await parseFixture("ambiguous.txt");
    expect(summary.dateOrder).toMatchObject({ order: "dmy", status: "ambiguous", alternatives: ["mdy"] });
    expect(summary.dateOrder.evidence).toContain("no day or month above 12 in 3 dates");
    expect(records[0]?.timestamp).toBe("2021-02-01T10:00:00");
  });

  it("should honour an override", async () => {
    const { records, summary } = await parseFixture("ambiguous.txt", { dateOrder: "mdy" });
    expect(summary.dateOrder).toMatchObject({ order: "mdy", status: "override", alternatives: [] });
    expect(records.map((r) => r.timestamp)).toEqual([
      "2021-01-02T10:00:00",
      "2021-03-04T10:01:00",
      "2021-05-06T10:02:00",
    ]);
  });

  it("should read a mixed file line by line, undecided lines following the previous decided one", async () => {
    const { records, summary } = await parseFixture("mixed-order.txt");
    expect(summary.dateOrder.status).toBe("mixed");
    expect(records.map((r) => [r.timestamp, r.dateOrder])).toEqual([
      ["2021-03-25T10:00:00", "dmy"],
      ["2021-04-01T10:01:00", "dmy"],
      ["2021-04-20T10:02:00", "mdy"],
      ["2021-05-06T10:03:00", "mdy"],
    ]);
  });
});

describe("WhatsApp adversarial input", () => {
  it("should refuse an empty file, prose, binary garbage and UTF-16 with a one-line reason", async () => {
    for (const [name, reason] of [
      ["empty.txt", "the file is empty"],
      ["not-a-chat.txt", "no message header"],
      ["binary.bin", "binary"],
      ["utf16le.txt", "UTF-16"],
      ["utf16le-nobom.txt", "UTF-16"],
    ] as const) {
      const e = await rejection(parseFixture(name));
      expect(e.code).toBe("UNRECOGNISED_FORMAT");
      expect(e.userMessage).toContain(reason);
      expect(e.userMessage).not.toContain("\n");
    }
  });

  it("should replace invalid UTF-8 with U+FFFD and report it once per affected line", async () => {
    const { records, summary } = await parseFixture("invalid-utf8.txt");
    expect(records[0]?.text).toBe("bad bytes: \ufffd\ufffdA end");
    expect(records[1]?.text).toBe("a real \ufffd replacement char");
    expect(summary.issues).toEqual([{ line: 1, reason: "invalid UTF-8 bytes replaced with U+FFFD" }]);
  });

  it("should keep hostile HTML verbatim as data", async () => {
    const { records } = await parseFixture("hostile-html.txt");
    expect(records[0]).toMatchObject({
      author: "<img src=x onerror=alert(1)>",
      text: '<script>alert("x")</script>',
    });
    expect(records[1]?.text).toContain("\u2028");
  });

  it("should parse a header-only file as one empty system record", async () => {
    const { records, summary } = await parseFixture("header-only.txt");
    expect(summary.recordCount).toBe(1);
    expect(records[0]).toMatchObject({
      kind: "system",
      systemType: "other",
      author: null,
      text: "",
      timestamp: "2017-03-06T00:45:00",
    });
  });

  it("should parse a 1 MB single-line message across many chunks", async () => {
    const body = "x".repeat(1 << 20);
    const bytes = Buffer.from(`13/03/2017, 00:45 - Alice: ${body}\n13/03/2017, 00:46 - Bob: after`);
    const { records } = await parseSource(memorySource(bytes, "big.txt", 4096));
    expect(records).toHaveLength(2);
    expect(records[0]?.text.length).toBe(1 << 20);
    expect(records[1]).toMatchObject({ text: "after", byteOffset: bytes.length - 30 });
  });

  it("should refuse a 1 MB single line that is not a chat", async () => {
    const e = await rejection(parseSource(memorySource(Buffer.from("y".repeat(1 << 20)), "line.txt", 65536)));
    expect(e.code).toBe("UNRECOGNISED_FORMAT");
  });

  it("should report text before the first header once and cap the issues it keeps", async () => {
    const pre = Array.from({ length: 5 }, (_, i) => `preamble ${i}`).join("\n");
    const bad = Array.from(
      { length: 30 },
      (_, i) => `31/02/2017, 10:${String(i).padStart(2, "0")} - A: impossible`,
    ).join("\n");
    const bytes = Buffer.from(`${pre}\n13/03/2017, 00:45 - Alice: hi\n${bad}\n13/03/2017, 00:46 - Bob: yo\n`);
    const { summary, records } = await parseSource(memorySource(bytes), { maxIssues: 10 });
    expect(summary.issues[0]).toEqual({
      line: 1,
      reason: "text before the first message header (5 lines, not part of any record)",
    });
    expect(summary.issues).toHaveLength(10);
    expect(summary.issuesTruncated).toBe(21);
    expect(records).toHaveLength(2);
  });

  it("should yield records in batches of at most 2000", async () => {
    const lines = Array.from({ length: 4500 }, (_, i) => `13/03/2017, 10:00 - P${i % 7}: message ${i}`).join(
      "\n",
    );
    const { records, batches, summary } = await parseSource(memorySource(Buffer.from(lines), "x.txt", 8192));
    expect(records).toHaveLength(4500);
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(records.every((r, i) => r.index === i)).toBe(true);
    expect(summary.participants).toHaveLength(7);
  });
});

describe("recognise", () => {
  it("should be confident for an export and zero for prose", () => {
    expect(
      whatsappFormat.recognise("06/03/2017, 00:45 - Alice: hi\n06/03/2017, 00:46 - Bob: yo\n"),
    ).toBeGreaterThan(0.9);
    expect(whatsappFormat.recognise("[1/29/18, 12:24:03 PM] Mallory: Hey! :)\n")).toBeGreaterThan(0.5);
    expect(whatsappFormat.recognise("Minutes of the meeting.\nPresent: all.\n")).toBe(0);
  });
});
