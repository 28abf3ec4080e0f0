/**
 * @module timeline
 * Flagged items per ISO week by category, and each participant's messages per week.
 */
import type { FlaggedItem, Timeline } from "../../contract/analysis.ts";
import type { ChatRecord } from "../formats/chat-record.ts";
import { isoWeek, weekRange } from "./local-time.ts";

/** Builds the weekly timeline over the span of the export's messages. */
export function buildTimeline(records: readonly ChatRecord[], items: readonly FlaggedItem[]): Timeline {
  const flagged: Timeline["flagged"] = {};
  const activity: Timeline["activity"] = {};
  let first: string | null = null;
  let last: string | null = null;
  for (const r of records) {
    if (first === null || r.timestamp < first) {
      first = r.timestamp;
    }
    if (last === null || r.timestamp > last) {
      last = r.timestamp;
    }
    if (r.kind !== "message" || !r.author) {
      continue;
    }
    const w = isoWeek(r.timestamp);
    const a = (activity[r.author] ??= {});
    a[w] = (a[w] ?? 0) + 1;
  }
  for (const it of items) {
    const w = isoWeek(it.timestamp);
    const f = (flagged[w] ??= {});
    for (const c of it.categories) {
      f[c] = (f[c] ?? 0) + 1;
    }
  }
  const weeks = first && last ? weekRange(first, last) : [];
  return { weeks, flagged, activity };
}
