import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildRecords, parseMessageSource, parseReplySource, toJsonl } from "./build.ts";

const here = dirname(fileURLToPath(import.meta.url));

describe("team-chat build", () => {
  it("the committed JSONL files are exactly what the sources build to", () => {
    const { messages, replies } = buildRecords(join(here, "source"));
    expect(readFileSync(join(here, "messages.jsonl"), "utf8")).toBe(toJsonl(messages));
    expect(readFileSync(join(here, "replies.jsonl"), "utf8")).toBe(toJsonl(replies));
  });

  it("applies a section header's labels and hard case to the lines under it", () => {
    const parsed = parseMessageSource(
      "t",
      "// note\n## labels=threat,sexual hard=obfuscation\nfoo\n\n## labels=\nbar\n",
    );
    expect(parsed).toEqual([
      { text: "foo", labels: ["sexual", "threat"], hard: "obfuscation" },
      { text: "bar", labels: [] },
    ]);
  });

  it("rejects an unknown label or a message before any header", () => {
    expect(() => parseMessageSource("t", "## labels=rude\nx")).toThrow(/unknown label rude/);
    expect(() => parseMessageSource("t", "x")).toThrow(/before any ## header/);
  });

  it("reads reply threads with their stances", () => {
    const threads = parseReplySource("t", "> parent one\nc: not on\ne: 😂\nn: who?\n");
    expect(threads).toEqual([
      {
        parent: "parent one",
        replies: [
          { reply: "not on", stance: "challenge" },
          { reply: "😂", stance: "endorse" },
          { reply: "who?", stance: "neutral" },
        ],
      },
    ]);
    expect(() => parseReplySource("t", "x: what")).toThrow(/bad reply line/);
  });

  it("keeps training-only sources out of the test split and leaves the other splits unchanged", () => {
    const dir = mkdtempSync(join(os.tmpdir(), "teamchat-build-"));
    try {
      const lines = (p: string, n: number): string =>
        Array.from({ length: n }, (_, i) => `${p} ${i}`).join("\n");
      writeFileSync(join(dir, "messages-01.txt"), `## labels=\n${lines("a", 3)}\n`);
      writeFileSync(join(dir, "messages-02.train.txt"), `## labels=\n${lines("b", 5)}\n`);
      writeFileSync(join(dir, "messages-03.txt"), `## labels=\n${lines("c", 1)}\n`);
      writeFileSync(join(dir, "replies-01.train.txt"), "> p1\nn: x\n> p2\nn: x\n> p3\nn: x\n> p4\nn: x\n");
      const { messages, replies } = buildRecords(dir);
      expect(messages.filter((m) => m.split === "test").map((m) => m.text)).toEqual(["c 0"]);
      expect(messages.filter((m) => m.text.startsWith("b")).every((m) => m.split === "train")).toBe(true);
      expect(replies.every((r) => r.split === "train")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
