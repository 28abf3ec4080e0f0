/**
 * @module analyse-conduct
 * Who posted flagged content, who amplified or endorsed it, who challenged it, who was active in the
 * group and did neither, and who was absent; then what that is relevant to in the conduct framework.
 * Pure: the caller supplies the records and every classifier output (text, images, stance of replies).
 */
import type { ConductAnalysis, ConductSettings, FlaggedItem, Reply } from "../../contract/analysis.ts";
import type { ClassifyResult, Stance } from "../../contract/detection.ts";
import type { ChatRecord } from "../formats/chat-record.ts";
import { buildFlaggedItems, type DraftItem, type ImageFinding, windowOf } from "./flagged-items.ts";
import { STANDARDS_OF_PROFESSIONAL_BEHAVIOUR, type ConductFramework } from "./framework.ts";
import { minutesBetween } from "./local-time.ts";
import { extractMembership, wasMember } from "./membership.ts";
import { applyFramework } from "./standards.ts";
import { buildTimeline } from "./timeline.ts";
import { hammingHex, imageWorklist, phashHex } from "./victims.ts";
import { buildParticipant } from "./participant-roles.ts";
import { targetedMessages, toOccurrences } from "./worklist-input.ts";

export type StanceScores = { challenge: number; endorse: number; neutral: number };

export const DEFAULT_CONDUCT_SETTINGS: ConductSettings = {
  windowMinutes: 30,
  windowMessages: 20,
  challengeThreshold: 0.5,
  endorseThreshold: 0.5,
  phashMaxDistance: 6,
  framework: STANDARDS_OF_PROFESSIONAL_BEHAVIOUR.id,
};

export interface ConductInput {
  records: readonly ChatRecord[];
  /** Classifier results for message bodies, by record index (flagged or not). */
  textResults: ReadonlyMap<number, ClassifyResult>;
  /** Every image classified (flagged or not: grouping needs them all). */
  images: readonly ImageFinding[];
  /** Stance of each reply, keyed by stanceKey(itemRecordIndex, replyRecordIndex). */
  stances: ReadonlyMap<string, StanceScores>;
  settings?: ConductSettings;
  framework?: ConductFramework;
  /** Identifies the export in image groups that span several exports. */
  exportId?: string;
}

/** Key of the stance of reply `reply` to the item at `item`. */
export function stanceKey(item: number, reply: number): string {
  return `${item}:${reply}`;
}

/** The records whose stance is needed: every reply in every flagged item's window. */
export function stanceRequests(
  records: readonly ChatRecord[],
  items: readonly DraftItem[],
  settings: ConductSettings = DEFAULT_CONDUCT_SETTINGS,
): { item: DraftItem; reply: number }[] {
  return items.flatMap((item) => windowOf(records, item, settings).replies.map((reply) => ({ item, reply })));
}

function decideStance(s: StanceScores | undefined, settings: ConductSettings): Stance {
  if (!s) {
    return "neutral";
  }
  if (s.challenge >= settings.challengeThreshold && s.challenge >= s.endorse) {
    return "challenge";
  }
  if (s.endorse >= settings.endorseThreshold && s.endorse > s.challenge) {
    return "endorse";
  }
  return "neutral";
}

/**
 * Runs the analysis.
 * @returns participants with roles, items with their windows, the victims worklist and the timeline
 */
export function analyseConduct(input: ConductInput): ConductAnalysis {
  const settings = input.settings ?? DEFAULT_CONDUCT_SETTINGS;
  const framework = input.framework ?? STANDARDS_OF_PROFESSIONAL_BEHAVIOUR;
  const { records } = input;
  const drafts = buildFlaggedItems(records, input.textResults, input.images);

  const names: string[] = [];
  const stats = new Map<string, { count: number; first: string | null; last: string | null }>();
  for (const r of records) {
    if (r.kind !== "message" || !r.author) {
      continue;
    }
    let s = stats.get(r.author);
    if (!s) {
      s = { count: 0, first: r.timestamp, last: r.timestamp };
      stats.set(r.author, s);
      names.push(r.author);
    }
    s.count++;
    if (s.first === null || r.timestamp < s.first) {
      s.first = r.timestamp;
    }
    if (s.last === null || r.timestamp > s.last) {
      s.last = r.timestamp;
    }
  }
  const membership = extractMembership(records, names);
  const exportId = input.exportId ?? "export";

  const imageHex = new Map<number, { hex: string | null; sha: string | null }[]>();
  for (const im of input.images) {
    const list = imageHex.get(im.recordIndex) ?? [];
    list.push({ hex: phashHex(im.result.phash ?? null), sha: im.sha256 ?? im.result.sha256 ?? null });
    imageHex.set(im.recordIndex, list);
  }
  const sameImage = (a: number, b: number): boolean =>
    (imageHex.get(a) ?? []).some((x) =>
      (imageHex.get(b) ?? []).some(
        (y) =>
          (x.sha !== null && x.sha === y.sha) ||
          (x.hex !== null && y.hex !== null && hammingHex(x.hex, y.hex) <= settings.phashMaxDistance),
      ),
    );

  // Counter-speech: a flagged message that is a challenging reply to an earlier item ("you can't say
  // that about women") quotes or names what it objects to; it is a challenge, not flagged content.
  const draftIdx = new Set(drafts.map((d) => d.recordIndex));
  const counterSpeechOf = new Map<number, number>();
  for (const d of drafts) {
    for (const ri of windowOf(records, d, settings).replies) {
      const st = decideStance(input.stances.get(stanceKey(d.recordIndex, ri)), settings);
      if (st === "challenge" && draftIdx.has(ri) && !counterSpeechOf.has(ri)) {
        counterSpeechOf.set(ri, d.recordIndex);
      }
    }
  }
  const counterSpeech: ConductAnalysis["counterSpeech"] = [...counterSpeechOf].map(
    ([recordIndex, challenges]) => ({ recordIndex, challenges }),
  );
  const kept = drafts.filter((d) => !counterSpeechOf.has(d.recordIndex));

  const items: FlaggedItem[] = [];
  // Earlier items whose window holds a record, and earlier items carrying pictures: the only
  // candidates an item can amplify (a scan of every earlier item is quadratic on large exports).
  const coveredBy = new Map<number, FlaggedItem[]>();
  const pictureItems: FlaggedItem[] = [];
  for (const d of kept) {
    const w = windowOf(records, d, settings);
    const inWindowOf = new Set(coveredBy.get(d.recordIndex) ?? []);
    const candidates = new Set([...inWindowOf, ...(imageHex.has(d.recordIndex) ? pictureItems : [])]);
    const amplifies: FlaggedItem["amplifies"] = [];
    for (const earlier of [...candidates].sort((a, b) => a.recordIndex - b.recordIndex)) {
      if (earlier.participant === d.participant) {
        continue;
      }
      const shared = earlier.categories.filter((c) => d.categories.includes(c));
      if (shared.length > 0 && inWindowOf.has(earlier)) {
        amplifies.push({
          recordIndex: earlier.recordIndex,
          reason: `more ${shared.join(", ")} content after ${earlier.participant} posted it`,
        });
      } else if (sameImage(earlier.recordIndex, d.recordIndex)) {
        amplifies.push({
          recordIndex: earlier.recordIndex,
          reason: `reposted an image ${earlier.participant} had posted`,
        });
      }
    }
    const replies: Reply[] = w.replies.map((ri) => {
      const r = records[ri];
      const scores = input.stances.get(stanceKey(d.recordIndex, ri)) ?? null;
      return {
        recordIndex: ri,
        participant: r?.author ?? "",
        timestamp: r?.timestamp ?? "",
        minutesAfter: r ? minutesBetween(d.timestamp, r.timestamp) : 0,
        quoted: w.quoted.has(ri) || r?.replyToIndex === d.recordIndex,
        stance: decideStance(scores ?? undefined, settings),
        stanceScores: scores,
      };
    });
    const engaged = new Set(replies.filter((r) => r.stance !== "neutral").map((r) => r.participant));
    // Active = posted anything in the window, including messages quoting something else.
    const silent = new Map<string, number[]>();
    const posted = new Set(replies.map((r) => r.participant));
    for (const ri of w.inWindow) {
      const who = records[ri]?.author;
      if (!who || who === d.participant) {
        continue;
      }
      posted.add(who);
      if (engaged.has(who)) {
        continue;
      }
      silent.set(who, [...(silent.get(who) ?? []), ri]);
    }
    const absent: string[] = [];
    const notMember: string[] = [];
    for (const n of names) {
      if (n === d.participant || posted.has(n)) {
        continue;
      }
      if (wasMember(membership.get(n), d.timestamp)) {
        absent.push(n);
      } else {
        notMember.push(n);
      }
    }
    const item: FlaggedItem = {
      ...d,
      windowEnd: w.end,
      role: amplifies.length > 0 ? "amplifier" : "originator",
      amplifies,
      replies,
      silent: [...silent].map(([participant, recordIndices]) => ({ participant, recordIndices })),
      absent,
      notMember,
    };
    items.push(item);
    for (const ri of w.inWindow) {
      const list = coveredBy.get(ri) ?? [];
      list.push(item);
      coveredBy.set(ri, list);
    }
    if (imageHex.has(d.recordIndex)) {
      pictureItems.push(item);
    }
  }

  // The items that concern each participant, so that each is visited once per person involved.
  const concern = new Map<string, FlaggedItem[]>();
  for (const it of items) {
    const who = new Set([
      it.participant,
      ...it.replies.map((r) => r.participant),
      ...it.silent.map((x) => x.participant),
      ...it.absent,
    ]);
    for (const n of who) {
      const list = concern.get(n) ?? [];
      list.push(it);
      concern.set(n, list);
    }
  }
  const participants = names.map((name) =>
    buildParticipant(name, stats.get(name), membership.get(name) ?? [], concern.get(name) ?? [], records),
  );
  for (const p of participants) {
    p.standards = applyFramework(framework, p, items);
  }

  return {
    settings: { ...settings, framework: framework.id },
    participants,
    counterSpeech,
    items,
    images: imageWorklist(toOccurrences(input.images, records, exportId), settings.phashMaxDistance),
    targeted: targetedMessages(items, records, input.images, names),
    timeline: buildTimeline(records, items),
  };
}
