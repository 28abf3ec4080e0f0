/**
 * @module flagged-items
 * Turns classifier outputs into flagged items (one per record: its text, its images and the text inside
 * its images), and finds the replies in each item's window that need a stance.
 */
import type { FlaggedItem, ItemCategory, ItemSource } from "../../contract/analysis.ts";
import type { ClassifyResult, ImageResult } from "../../contract/detection.ts";
import type { ChatRecord } from "../formats/chat-record.ts";
import { localMs } from "./local-time.ts";

/** One attachment's image classification, tied to the record that carried it. */
export interface ImageFinding {
  recordIndex: number;
  fileName: string;
  sha256: string | null;
  result: ImageResult;
}

export interface WindowSettings {
  windowMinutes: number;
  windowMessages: number;
}

/** A flagged item before its replies are judged. */
export type DraftItem = Omit<
  FlaggedItem,
  "role" | "amplifies" | "replies" | "silent" | "absent" | "notMember"
>;

/** The participant key used throughout: the parser's normalised key, else the name as written. */
export function participantOf(r: ChatRecord): string | null {
  return r.author;
}

function imageCategories(res: ImageResult): ItemCategory[] {
  if (res.class === "explicit") {
    return ["image_explicit"];
  }
  if (res.class === "suggestive") {
    return ["image_suggestive"];
  }
  return [];
}

/**
 * Builds the flagged items, in file order.
 * @param textResults classifier results for message bodies, by record index
 * @param images image results for attachments present in the export
 */
export function buildFlaggedItems(
  records: readonly ChatRecord[],
  textResults: ReadonlyMap<number, ClassifyResult>,
  images: readonly ImageFinding[],
): DraftItem[] {
  const sources = new Map<number, ItemSource[]>();
  const push = (i: number, s: ItemSource): void => {
    const list = sources.get(i) ?? [];
    list.push(s);
    sources.set(i, list);
  };
  for (const [i, res] of textResults) {
    if (res.flagged.length === 0) {
      continue;
    }
    push(i, {
      kind: "text",
      fileName: null,
      categories: [...res.flagged],
      reasons: res.reasons,
      scores: res.scores,
    });
  }
  for (const img of images) {
    const cats = imageCategories(img.result);
    if (cats.length > 0) {
      push(img.recordIndex, {
        kind: "image",
        fileName: img.fileName,
        categories: cats,
        reasons: Object.entries(img.result.nsfw ?? {}).map(([k, v]) => ({
          category: "image",
          evidence: k,
          weight: v,
        })),
        scores: img.result.scores ?? {},
      });
    }
    const ocr = img.result.text;
    if (ocr && ocr.flagged.length > 0) {
      push(img.recordIndex, {
        kind: "ocr",
        fileName: img.fileName,
        categories: [...ocr.flagged],
        reasons: ocr.reasons,
        scores: ocr.scores,
      });
    }
  }
  const items: DraftItem[] = [];
  for (const [i, src] of [...sources].sort((a, b) => a[0] - b[0])) {
    const r = records[i];
    const who = r ? participantOf(r) : null;
    if (!r || r.kind !== "message" || !who) {
      continue;
    }
    const cats = [...new Set(src.flatMap((s) => s.categories))];
    items.push({
      id: `item-${i}`,
      recordIndex: i,
      participant: who,
      timestamp: r.timestamp,
      categories: cats,
      sources: src,
      windowEnd: { recordIndex: null, timestamp: null },
    });
  }
  return items;
}

const QUOTED = new WeakMap<readonly ChatRecord[], Map<number, number[]>>();

/** Index of quoted replies: record index → the records quoting it. Built once per records array. */
function quotedBy(records: readonly ChatRecord[]): Map<number, number[]> {
  let m = QUOTED.get(records);
  if (!m) {
    m = new Map();
    for (const r of records) {
      if (r.replyToIndex !== null) {
        const list = m.get(r.replyToIndex) ?? [];
        list.push(r.index);
        m.set(r.replyToIndex, list);
      }
    }
    QUOTED.set(records, m);
  }
  return m;
}

/**
 * The records in an item's window: later messages by others, at most `windowMessages` of them (counting
 * every message, the author's too), no later than `windowMinutes` after the item. A record that quotes
 * another message is a reply to that one only; a record quoting this item counts even outside the window.
 * @returns the reply record indices and where the window ended
 */
export function windowOf(
  records: readonly ChatRecord[],
  item: Pick<DraftItem, "recordIndex" | "participant" | "timestamp">,
  w: WindowSettings,
): {
  replies: number[];
  quoted: Set<number>;
  inWindow: number[];
  end: { recordIndex: number | null; timestamp: string | null };
} {
  const start = localMs(item.timestamp);
  const limit = start + w.windowMinutes * 60_000;
  const replies: number[] = [];
  const inWindow: number[] = [];
  const quoted = new Set<number>();
  let seen = 0;
  let end: { recordIndex: number | null; timestamp: string | null } = { recordIndex: null, timestamp: null };
  for (let i = item.recordIndex + 1; i < records.length; i++) {
    const r = records[i];
    if (!r) {
      break;
    }
    // Out-of-order timestamps are kept in file order; they neither end nor extend the window.
    if (localMs(r.timestamp) > limit || seen >= w.windowMessages) {
      break;
    }
    end = { recordIndex: i, timestamp: r.timestamp };
    if (r.kind !== "message") {
      continue;
    }
    seen++;
    inWindow.push(i);
    if (r.author === item.participant) {
      continue;
    }
    if (r.replyToIndex !== null && r.replyToIndex !== item.recordIndex) {
      continue;
    }
    replies.push(i);
  }
  // Quoted replies beyond the window (platforms that export them).
  for (const i of quotedBy(records).get(item.recordIndex) ?? []) {
    const r = records[i];
    if (r && i > item.recordIndex && r.author !== item.participant) {
      quoted.add(i);
      if (!replies.includes(i)) {
        replies.push(i);
      }
    }
  }
  return { replies, quoted, inWindow, end };
}

/** What the stance classifier is given as `replyTo` for an item: its text, else a description of the image. */
export function replyToText(
  records: readonly ChatRecord[],
  item: DraftItem,
  images: readonly ImageFinding[],
): string {
  const r = records[item.recordIndex];
  const parts: string[] = [];
  if (r && r.text.trim() !== "") {
    parts.push(r.text);
  }
  for (const img of images) {
    if (img.recordIndex !== item.recordIndex) {
      continue;
    }
    if (img.result.ocrText && img.result.ocrText.trim() !== "") {
      parts.push(img.result.ocrText);
    }
  }
  return parts.length > 0 ? parts.join("\n") : "[image]";
}
