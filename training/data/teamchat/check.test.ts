import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkTeamchat, nearDuplicateReason } from "./check.ts";

const here = dirname(fileURLToPath(import.meta.url));

describe("team-chat labelled set", () => {
  it("the committed files pass validation", () => {
    const report = checkTeamchat(
      readFileSync(join(here, "messages.jsonl"), "utf8"),
      readFileSync(join(here, "replies.jsonl"), "utf8"),
    );
    expect(report.problems).toEqual([]);
    expect(report.messageSplits.test).toBeGreaterThan(0);
    expect(report.replySplits.test).toBeGreaterThan(0);
  });

  it("reports bad labels, duplicate ids, duplicate texts and an empty split", () => {
    const messages = [
      { id: "m0001", text: "a", labels: ["sexual"], split: "train" },
      { id: "m0001", text: "b", labels: [], split: "train" },
      { id: "m0003", text: "a", labels: ["rude"], split: "train" },
    ]
      .map((m) => JSON.stringify(m))
      .join("\n");
    const report = checkTeamchat(messages, "");
    expect(report.problems.some((p) => p.includes("duplicate id m0001"))).toBe(true);
    expect(report.problems.some((p) => p.startsWith("messages.jsonl:3"))).toBe(true);
    expect(report.problems).toContain("messages: a split is empty");
  });

  it("counts labels per split and rejects a parent in both splits", () => {
    const messages = [
      { id: "m0001", text: "a", labels: ["sexual", "misogyny"], split: "train", hard: "obfuscation" },
      { id: "m0002", text: "b", labels: [], split: "test" },
    ]
      .map((m) => JSON.stringify(m))
      .join("\n");
    const replies = [
      { id: "r0001", parent: "p", reply: "lol", stance: "endorse", split: "train" },
      { id: "r0002", parent: "p", reply: "not on", stance: "challenge", split: "test" },
    ]
      .map((m) => JSON.stringify(m))
      .join("\n");
    const report = checkTeamchat(messages, replies);
    expect(report.perLabel.sexual).toEqual({ train: 1, test: 0, total: 1 });
    expect(report.perLabel.none).toEqual({ train: 0, test: 1, total: 1 });
    expect(report.perHard.obfuscation?.total).toBe(1);
    expect(report.perHardLabelled.obfuscation).toEqual({ clean: 0, flagged: 1 });
    expect(report.problems.some((p) => p.includes("parent in both splits"))).toBe(true);
  });

  it("flags a training message that is a near-duplicate of a test message with the same labels", () => {
    const messages = [
      { id: "m0001", text: "what a fag", labels: ["homophobia"], split: "test" },
      {
        id: "m0002",
        text: "what a retard, he's lost the exhibit again",
        labels: ["derogatory"],
        split: "test",
      },
      { id: "m0003", text: "what a f@g lol", labels: ["homophobia"], split: "train" },
      { id: "m0004", text: "what a r3tard", labels: ["derogatory"], split: "train" },
      // Same words, different labels: counter-speech contrast, not a leak.
      { id: "m0005", text: '"what a fag" is not ok in this chat', labels: [], split: "train" },
      // One shared word is vocabulary, not a copied message.
      { id: "m0006", text: "fag", labels: ["homophobia"], split: "train" },
    ]
      .map((m) => JSON.stringify(m))
      .join("\n");
    const nearDup = checkTeamchat(messages, "").problems.filter((p) => p.startsWith("near-duplicate"));
    expect(nearDup).toHaveLength(2);
    expect(nearDup[0]).toContain("(m0003, contains the test message)");
    expect(nearDup[1]).toContain("(m0004, contained in the test message)");
  });

  it("near-duplicate rule: equal, contiguous containment of two or more tokens, or Jaccard >= 0.8", () => {
    expect(nearDuplicateReason(["spacker"], ["spacker"])).toBe("equal after normalisation");
    expect(nearDuplicateReason(["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "f"])).toBeUndefined();
    expect(nearDuplicateReason(["a", "b", "c", "d", "e"], ["e", "d", "c", "b", "a"])).toBe(
      "token Jaccard >= 0.8",
    );
    expect(nearDuplicateReason(["a", "c"], ["a", "b", "c"])).toBeUndefined();
    expect(nearDuplicateReason(["done"], ["that's", "me", "done"])).toBeUndefined();
  });
});
