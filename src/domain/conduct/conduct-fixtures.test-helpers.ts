/** Builders for hand-made records and classifier outputs used by the conduct tests. */
import type { ClassifyResult, ImageResult, TextCategory } from "../../contract/detection.ts";
import type { ChatRecord, SystemEventType } from "../formats/chat-record.ts";

let line = 1;

/** A message record; `index` must equal its position in the array the test builds. */
export function msg(
  index: number,
  timestamp: string,
  author: string,
  text: string,
  extra: Partial<ChatRecord> = {},
): ChatRecord {
  return {
    index,
    line: line++,
    byteOffset: 0,
    byteLength: 0,
    raw: text,
    timestamp,
    hasSeconds: true,
    author,
    authorKey: author.toLowerCase(),
    kind: "message",
    systemType: null,
    text,
    attachments: [],
    deleted: false,
    edited: false,
    mediaOmitted: false,
    viewOnce: false,
    outOfOrder: false,
    location: null,
    poll: null,
    platformId: null,
    replyToIndex: null,
    ...extra,
  };
}

/** A system event record. */
export function sys(
  index: number,
  timestamp: string,
  type: SystemEventType,
  text: string,
  author: string | null = null,
): ChatRecord {
  return {
    ...msg(index, timestamp, author ?? "", text),
    author,
    authorKey: author?.toLowerCase() ?? null,
    kind: "system",
    systemType: type,
  };
}

const ZERO = { sexual: 0, misogyny: 0, racism: 0, homophobia: 0, derogatory: 0, threat: 0 };

/** A text result flagged with `cats` (empty: not flagged). */
export function textResult(id: number, cats: TextCategory[] = [], evidence = "word"): ClassifyResult {
  const scores = { ...ZERO };
  for (const c of cats) {
    scores[c] = 0.9;
  }
  return { id, scores, flagged: cats, reasons: cats.map((c) => ({ category: c, evidence, weight: 1.5 })) };
}

function withoutId(r: ClassifyResult): Omit<ClassifyResult, "id"> {
  const { id: _id, ...rest } = r;
  return rest;
}

/** An image result. */
export function imageResult(
  file: string,
  cls: ImageResult["class"],
  phash: string,
  realPersonLikely = true,
  ocrText?: string,
  ocrCats: TextCategory[] = [],
): ImageResult {
  return {
    file,
    class: cls,
    scores: {
      explicit: cls === "explicit" ? 0.9 : 0.05,
      suggestive: cls === "suggestive" ? 0.8 : 0.05,
      neutral: cls === "neutral" ? 0.9 : 0.05,
    },
    nsfw: { Porn: cls === "explicit" ? 0.9 : 0.01 },
    faces: realPersonLikely ? 1 : 0,
    realPersonLikely,
    phash,
    ...(ocrText === undefined ? {} : { ocrText, text: withoutId(textResult(0, ocrCats)) }),
  };
}
