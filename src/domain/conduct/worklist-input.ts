/**
 * @module worklist-input
 * Feeds the victims worklist: picture occurrences from the image results, and flagged texts (and text
 * read inside pictures) checked for a targeted person.
 */
import type { FlaggedItem, ImageOccurrence, TargetedMessage } from "../../contract/analysis.ts";
import type { ChatRecord } from "../formats/chat-record.ts";
import type { ImageFinding } from "./flagged-items.ts";
import { targetedEntry } from "./victims.ts";

/** Every classified picture as an occurrence for grouping. */
export function toOccurrences(
  images: readonly ImageFinding[],
  records: readonly ChatRecord[],
  exportId: string,
): ImageOccurrence[] {
  return images.map((im) => {
    const r = records[im.recordIndex];
    return {
      exportId,
      recordIndex: im.recordIndex,
      fileName: im.fileName,
      sha256: im.sha256 ?? im.result.sha256 ?? null,
      participant: r?.author ?? "",
      timestamp: r?.timestamp ?? "",
      class: im.result.class ?? null,
      realPersonLikely: im.result.realPersonLikely ?? null,
      phash: im.result.phash ?? null,
    };
  });
}

/** Flagged texts and picture texts that appear to be about a person. */
export function targetedMessages(
  items: readonly FlaggedItem[],
  records: readonly ChatRecord[],
  images: readonly ImageFinding[],
  names: readonly string[],
): TargetedMessage[] {
  const out: TargetedMessage[] = [];
  for (const it of items) {
    const r = records[it.recordIndex];
    if (r && it.sources.some((s) => s.kind === "text")) {
      const e = targetedEntry(
        `target-${it.recordIndex}`,
        it.recordIndex,
        "text",
        r.text,
        it.participant,
        it.timestamp,
        it.categories,
        names,
      );
      if (e) {
        out.push(e);
      }
    }
    for (const s of it.sources) {
      if (s.kind !== "ocr") {
        continue;
      }
      const ocr =
        images.find((im) => im.recordIndex === it.recordIndex && im.fileName === s.fileName)?.result
          .ocrText ?? "";
      const e = targetedEntry(
        `target-${it.recordIndex}-ocr`,
        it.recordIndex,
        "ocr",
        ocr,
        it.participant,
        it.timestamp,
        s.categories,
        names,
      );
      if (e) {
        out.push(e);
      }
    }
  }
  return out;
}
