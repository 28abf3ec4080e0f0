import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyJsonlStream } from "./classify-jsonl-stream.ts";
import { createTextClassifier, type TextClassifier } from "./classify-texts.ts";

let clf: TextClassifier;
beforeAll(async () => {
  clf = await createTextClassifier({ threads: 0 });
});
afterAll(async () => {
  await clf.close();
});

async function* chunks(bufs: Buffer[]): AsyncGenerator<Buffer> {
  for (const b of bufs) yield b;
  await Promise.resolve();
}

async function run(bufs: Buffer[]): Promise<{ out: Array<Record<string, unknown>>; errors: number }> {
  let text = "";
  const stats = await classifyJsonlStream(chunks(bufs), clf, (s) => {
    text += typeof s === "string" ? s : Buffer.from(s).toString("utf8");
    return Promise.resolve();
  });
  return {
    out: text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    errors: stats.errors,
  };
}

describe("classifyJsonlStream", () => {
  it("reassembles lines and multi-byte characters split across chunks", async () => {
    const all = Buffer.from('{"id":1,"text":"naïve 😂 lol"}\r\n{"id":2,"text":"ok"}', "utf8");
    // Cut every 3 bytes: splits the emoji and "ï" mid-sequence, and the CRLF.
    const parts: Buffer[] = [];
    for (let i = 0; i < all.length; i += 3) parts.push(all.subarray(i, i + 3));
    const { out, errors } = await run(parts);
    expect(errors).toBe(0);
    expect(out.map((o) => o.id)).toEqual([1, 2]);
  });

  it("numbers lines from 1, skips blank lines, and reports bad ones in place", async () => {
    const { out, errors } = await run([
      Buffer.from('\n{"id":"a","text":"hi"}\n\n{"id":"b"\n{"id":"c","text":"yo"}\n'),
    ]);
    expect(out).toHaveLength(3);
    expect(out[1]).toEqual({ id: "b", line: 4, error: "invalid JSON" });
    expect(errors).toBe(1);
  });

  it("keeps only the start of an over-long line and still recovers its id", async () => {
    const big = Buffer.concat([
      Buffer.from('{"id":"big","text":"'),
      Buffer.alloc(1_200_000, 0x61),
      Buffer.from('"}\n'),
    ]);
    const { out } = await run([
      big.subarray(0, 700_000),
      big.subarray(700_000),
      Buffer.from('{"id":"next","text":"fine"}\n'),
    ]);
    expect(out[0]).toMatchObject({ id: "big", line: 1 });
    expect(String(out[0]?.error)).toContain("longer than");
    expect(out[1]?.id).toBe("next");
  });

  it("gives the same output however the input is cut into chunks", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) {
      lines.push(
        i % 37 === 0
          ? ""
          : JSON.stringify({ id: i, text: `line ${i} of the test, mate ${"x".repeat(i % 50)}` }),
      );
    }
    const all = Buffer.from(lines.join("\n") + "\n", "utf8");
    const whole = await run([all]);
    // Over 64 KiB, so several batches. Cuts at line ends, just after them, and mid-line, in pieces from 1 byte to several lines long.
    for (const step of [1, 7, 64, 97, 1000, 5000]) {
      const parts: Buffer[] = [];
      for (let i = 0; i < all.length; i += step) parts.push(all.subarray(i, i + step));
      expect(await run(parts)).toEqual(whole);
    }
    const atLineEnds = lines.map((l) => Buffer.from(l + "\n", "utf8"));
    expect(await run(atLineEnds)).toEqual(whole);
    expect(whole.out).toHaveLength(lines.filter((l) => l !== "").length);
  });

  it("writes the same bytes in the same order with worker threads as on the calling thread", async () => {
    // Enough lines for many batches (about 64 KB each) in flight on two threads at once, with
    // replies, non-ASCII text, bad lines and blank lines among them.
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const text = `${["morning all", "she's a s l a g", "send pics 🍆", "ѕlаg lol", "f***ing brilliant"][i % 5]} ${i}`;
      if (i % 7 === 0) lines.push(JSON.stringify({ id: i, text: "😂😂", replyTo: text }));
      else if (i % 501 === 0) lines.push(`{"id":${i},"text":`);
      else if (i % 503 === 0) lines.push("");
      else lines.push(JSON.stringify({ id: `m${i}`, text }));
    }
    const input = Buffer.from(lines.join("\n") + "\n");
    const collect = async (c: TextClassifier): Promise<Buffer> => {
      const out: Buffer[] = [];
      // Uneven chunks, as a pipe delivers them.
      const parts: Buffer[] = [];
      for (let i = 0, step = 40_000; i < input.length; i += step, step = 40_000 + (i % 7919)) {
        parts.push(input.subarray(i, i + step));
      }
      await classifyJsonlStream(chunks(parts), c, (s) => {
        out.push(Buffer.from(typeof s === "string" ? Buffer.from(s, "utf8") : s));
        return Promise.resolve();
      });
      return Buffer.concat(out);
    };
    const threaded = await createTextClassifier({ threads: 2 });
    try {
      const viaThreads = await collect(threaded);
      const inProcess = await collect(clf);
      expect(viaThreads.toString("utf8").split("\n")).toHaveLength(lines.filter((l) => l !== "").length + 1);
      expect(viaThreads.equals(inProcess)).toBe(true);
    } finally {
      await threaded.close();
    }
  });
});
