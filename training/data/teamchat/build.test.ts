import { readFileSync } from "node:fs";
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
});
