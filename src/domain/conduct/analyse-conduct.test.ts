import { describe, expect, it } from "vitest";
import { ConductAnalysisSchema } from "../../contract/analysis.ts";
import type { ClassifyResult } from "../../contract/detection.ts";
import { analyseConduct, stanceKey, stanceRequests, type StanceScores } from "./analyse-conduct.ts";
import { imageResult, msg, sys, textResult } from "./conduct-fixtures.test-helpers.ts";
import { buildFlaggedItems, type ImageFinding } from "./flagged-items.ts";

const records = [
  sys(0, "2024-03-04T08:00:00", "member_added", "Dan Price added Amy Clarke"),
  msg(1, "2024-03-04T09:00:00", "Dan Price", "morning all"),
  msg(2, "2024-03-04T09:05:00", "Gary Holt", "look at the new PC on B shift, she'd get it"),
  msg(3, "2024-03-04T09:06:00", "Mike Ross", "😂😂"),
  msg(4, "2024-03-04T09:07:00", "Tom Lane", "more of that please"),
  msg(5, "2024-03-04T09:10:00", "Amy Clarke", "that's not on, delete it"),
  msg(6, "2024-03-04T09:12:00", "Dan Price", "who's on earlies tomorrow?"),
  msg(7, "2024-03-04T09:50:00", "Sam Patel", "ok"),
  msg(8, "2024-03-04T10:00:00", "Mike Ross", "IMG-1.jpg (file attached)", {
    attachments: [{ fileName: "IMG-1.jpg" }],
  }),
  msg(9, "2024-03-04T10:02:00", "Gary Holt", "haha"),
  sys(10, "2024-03-04T10:30:00", "member_left", "Amy Clarke left"),
  msg(11, "2024-03-12T09:00:00", "Gary Holt", "IMG-2.jpg (file attached)", {
    attachments: [{ fileName: "IMG-2.jpg" }],
  }),
  msg(12, "2024-03-12T09:01:00", "Sam Patel", "😂"),
  msg(13, "2024-03-18T12:00:00", "Dan Price", "I should have said, that comment was out of order", {
    replyToIndex: 2,
  }),
  msg(14, "2024-03-18T12:01:00", "Sam Patel", "IMG-3.jpg (file attached)", {
    attachments: [{ fileName: "IMG-3.jpg" }],
  }),
];

const text = new Map<number, ClassifyResult>(
  records.filter((r) => r.kind === "message").map((r) => [r.index, textResult(r.index)]),
);
text.set(2, textResult(2, ["sexual"], "she'd get it"));
text.set(4, textResult(4, ["sexual"], "more of that"));

const images: ImageFinding[] = [
  {
    recordIndex: 8,
    fileName: "IMG-1.jpg",
    sha256: "a".repeat(64),
    result: imageResult("IMG-1.jpg", "explicit", "ffff0000ffff0000"),
  },
  {
    recordIndex: 11,
    fileName: "IMG-2.jpg",
    sha256: "b".repeat(64),
    result: imageResult("IMG-2.jpg", "explicit", "ffff0000ffff0003"),
  },
  {
    recordIndex: 14,
    fileName: "IMG-3.jpg",
    sha256: "c".repeat(64),
    result: imageResult("IMG-3.jpg", "neutral", "0123456789abcdef", false),
  },
];

const S = {
  endorse: { challenge: 0.05, endorse: 0.9, neutral: 0.05 },
  challenge: { challenge: 0.85, endorse: 0.05, neutral: 0.1 },
  neutral: { challenge: 0.1, endorse: 0.1, neutral: 0.8 },
} satisfies Record<string, StanceScores>;

const stances = new Map<string, StanceScores>([
  [stanceKey(2, 3), S.endorse],
  [stanceKey(2, 4), S.endorse],
  [stanceKey(2, 5), S.challenge],
  [stanceKey(2, 6), S.neutral],
  [stanceKey(4, 5), S.challenge],
  [stanceKey(4, 6), S.neutral],
  [stanceKey(8, 9), S.endorse],
  [stanceKey(11, 12), S.endorse],
  [stanceKey(2, 13), S.challenge],
]);

const result = analyseConduct({ records, textResults: text, images, stances });
const person = (name: string) => {
  const p = result.participants.find((x) => x.name === name);
  if (!p) {
    throw new Error(`no participant ${name}`);
  }
  return p;
};

describe("analyseConduct", () => {
  it("should produce output that matches the published schema", () => {
    expect(() => ConductAnalysisSchema.parse(result)).not.toThrow();
  });

  it("should ask for the stance of every reply in each window, quoted replies included, and no others", () => {
    const drafts = buildFlaggedItems(records, text, images);
    const reqs = stanceRequests(records, drafts).map((r) => stanceKey(r.item.recordIndex, r.reply));
    expect(reqs.sort()).toEqual([...stances.keys()].sort());
  });

  it("should name the first poster of a category the originator and a same-category follow-up by another an amplifier", () => {
    expect(person("Gary Holt").roles.originator).toMatchObject({
      count: 1,
      items: [2],
      first: "2024-03-04T09:05:00",
    });
    const item4 = result.items.find((i) => i.recordIndex === 4);
    expect(item4?.role).toBe("amplifier");
    expect(item4?.amplifies.map((a) => a.recordIndex)).toEqual([2]);
  });

  it("should count a repost of the same picture (perceptual hash within the threshold) as amplification", () => {
    const item11 = result.items.find((i) => i.recordIndex === 11);
    expect(item11?.role).toBe("amplifier");
    expect(item11?.amplifies[0]?.reason).toContain("reposted an image");
    expect(person("Gary Holt").roles.amplifier.items).toEqual([11]);
  });

  it("should record endorsers with their supporting replies", () => {
    expect(person("Mike Ross").roles.endorser).toMatchObject({ count: 1, records: [3], items: [2] });
    expect(person("Sam Patel").roles.endorser).toMatchObject({ count: 1, records: [12], items: [11] });
  });

  it("should record a challenge with when, how soon and to whom", () => {
    const amy = person("Amy Clarke");
    expect(amy.roles.challenger.items).toEqual([2, 4]);
    expect(amy.challenges).toEqual([
      {
        recordIndex: 5,
        itemRecordIndex: 2,
        timestamp: "2024-03-04T09:10:00",
        minutesAfter: 5,
        to: "Gary Holt",
      },
      {
        recordIndex: 5,
        itemRecordIndex: 4,
        timestamp: "2024-03-04T09:10:00",
        minutesAfter: 3,
        to: "Tom Lane",
      },
    ]);
  });

  it("should count a quoted reply outside the time window", () => {
    const dan = person("Dan Price");
    expect(dan.challenges.map((c) => [c.recordIndex, c.itemRecordIndex])).toEqual([[13, 2]]);
    const reply = result.items.find((i) => i.recordIndex === 2)?.replies.find((r) => r.recordIndex === 13);
    expect(reply?.quoted).toBe(true);
  });

  it("should call someone who posted other things in the window without challenging a silent bystander", () => {
    const dan = person("Dan Price");
    expect(dan.roles.silent_bystander).toMatchObject({ count: 1, items: [4], records: [6] });
  });

  it("should treat people with no activity in the window as absent and people who had left as not members", () => {
    const item2 = result.items.find((i) => i.recordIndex === 2);
    expect(item2?.absent).toEqual(["Sam Patel"]);
    const item11 = result.items.find((i) => i.recordIndex === 11);
    expect(item11?.notMember).toEqual(["Amy Clarke"]);
    expect(item11?.absent).not.toContain("Amy Clarke");
    expect(person("Sam Patel").roles.absent.items).toEqual([2, 4, 8]);
  });

  it("should read joins and leaves with who added whom", () => {
    expect(person("Amy Clarke").membership).toEqual([
      { type: "member_added", recordIndex: 0, timestamp: "2024-03-04T08:00:00", by: "Dan Price" },
      { type: "member_left", recordIndex: 10, timestamp: "2024-03-04T10:30:00", by: null },
    ]);
  });

  it("should map roles to standards as evidence relevant to them, with supporting records", () => {
    const gary = person("Gary Holt").standards;
    expect(gary.filter((s) => s.direction === "adverse").map((s) => s.standard)).toEqual([
      "2",
      "3",
      "9",
      "10",
    ]);
    expect(gary.find((s) => s.standard === "3")?.records).toEqual([2]);
    const amy = person("Amy Clarke").standards;
    expect(amy).toEqual([
      expect.objectContaining({ standard: "10", direction: "favourable", records: [2, 4, 5] }),
    ]);
    expect(person("Dan Price").standards.map((s) => `${s.standard}:${s.direction}`)).toEqual([
      "10:adverse",
      "10:favourable",
    ]);
  });

  it("should put a reposted picture of a likely real person on the victims worklist once, with both occurrences", () => {
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.occurrences.map((o) => o.recordIndex)).toEqual([8, 11]);
    expect(result.images[0]?.reasons.join(" ")).toContain("posted 2 times");
    expect(result.images[0]?.victim).toEqual({
      identified: null,
      notificationDecision: "pending",
      reason: "",
    });
  });

  it("should explain why a flagged message appears to target a person", () => {
    const t = result.targeted.find((x) => x.recordIndex === 2);
    expect(t?.reasons.map((r) => r.kind).sort()).toEqual(["description", "pronoun"]);
    expect(t?.reasons.find((r) => r.kind === "description")?.evidence).toBe("the new PC on B shift");
  });

  it("should count flagged items per ISO week and category", () => {
    expect(result.timeline.weeks).toEqual(["2024-W10", "2024-W11", "2024-W12"]);
    expect(result.timeline.flagged["2024-W10"]).toEqual({ sexual: 2, image_explicit: 1 });
    expect(result.timeline.activity["Sam Patel"]).toEqual({ "2024-W10": 1, "2024-W11": 1, "2024-W12": 1 });
  });

  it("should never claim anyone saw or read a message", () => {
    expect(JSON.stringify(result)).not.toMatch(/\b(saw|seen|read it|viewed)\b/i);
  });

  it("should not judge the stance of a record quoting another message, yet count its author as active", () => {
    const recs = [
      msg(0, "2024-01-01T10:00:00", "A", "flagged"),
      msg(1, "2024-01-01T10:01:00", "B", "lol", { replyToIndex: null }),
      msg(2, "2024-01-01T10:02:00", "C", "about something else", { replyToIndex: 1 }),
    ];
    const r = analyseConduct({
      records: recs,
      textResults: new Map([[0, textResult(0, ["misogyny"])]]),
      images: [],
      stances: new Map([[stanceKey(0, 1), S.endorse]]),
    });
    expect(r.items[0]?.replies.map((x) => x.recordIndex)).toEqual([1]);
    expect(r.items[0]?.absent).toEqual([]);
    expect(r.items[0]?.silent).toEqual([{ participant: "C", recordIndices: [2] }]);
  });
});

describe("counter-speech", () => {
  it("should not treat a flagged challenging reply as flagged content", () => {
    const recs = [
      msg(0, "2024-01-01T10:00:00", "A", "women belong in the kitchen"),
      msg(1, "2024-01-01T10:02:00", "B", "you can't say that about women"),
      msg(2, "2024-01-01T10:03:00", "C", "lol"),
    ];
    const r = analyseConduct({
      records: recs,
      textResults: new Map([
        [0, textResult(0, ["misogyny"])],
        [1, textResult(1, ["misogyny"])],
      ]),
      images: [],
      stances: new Map([
        [stanceKey(0, 1), { challenge: 0.9, endorse: 0.05, neutral: 0.05 }],
        [stanceKey(0, 2), { challenge: 0.05, endorse: 0.9, neutral: 0.05 }],
        [stanceKey(1, 2), { challenge: 0.05, endorse: 0.9, neutral: 0.05 }],
      ]),
    });
    expect(r.items.map((i) => i.recordIndex)).toEqual([0]);
    expect(r.counterSpeech).toEqual([{ recordIndex: 1, challenges: 0 }]);
    expect(r.participants.find((p) => p.name === "B")?.roles.challenger.items).toEqual([0]);
    expect(r.participants.find((p) => p.name === "B")?.standards.map((s) => s.direction)).toEqual([
      "favourable",
    ]);
  });
});
