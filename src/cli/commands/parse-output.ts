/**
 * @module parse-output
 * Presentation of parsed records for the `parse` command: one NDJSON line per record (built by hand for
 * speed: strings go through JSON.stringify, the rest is written directly) and the human summary.
 */
import type { ChatRecord, ParseSummary } from "../../domain/formats/chat-record.ts";

const str = JSON.stringify;

/** Author names repeat on every line; their JSON forms are cached (bounded for hostile files). */
const nameJson = new Map<string, string>();
function nameToJson(s: string): string {
  let j = nameJson.get(s);
  if (j === undefined) {
    j = str(s);
    if (nameJson.size < 10_000) nameJson.set(s, j);
  }
  return j;
}

/** One record as a JSON object on one line (no trailing newline). */
export function recordToJson(r: ChatRecord, withRaw: boolean): string {
  let att = "[]";
  if (r.attachments.length > 0) att = "[" + r.attachments.map((a) => str(a.fileName)).join(",") + "]";
  return (
    '{"index":' +
    r.index +
    ',"line":' +
    r.line +
    ',"byteOffset":' +
    r.byteOffset +
    ',"byteLength":' +
    r.byteLength +
    ',"kind":"' +
    r.kind +
    '","systemType":' +
    (r.systemType === null ? "null" : '"' + r.systemType + '"') +
    ',"timestamp":"' +
    r.timestamp +
    '","hasSeconds":' +
    r.hasSeconds +
    ',"author":' +
    (r.author === null ? "null" : nameToJson(r.author)) +
    ',"authorKey":' +
    (r.authorKey === null ? "null" : nameToJson(r.authorKey)) +
    ',"text":' +
    str(r.text) +
    ',"attachments":' +
    att +
    ',"deleted":' +
    r.deleted +
    ',"edited":' +
    r.edited +
    ',"mediaOmitted":' +
    r.mediaOmitted +
    ',"viewOnce":' +
    r.viewOnce +
    ',"outOfOrder":' +
    r.outOfOrder +
    ',"location":' +
    (r.location === null ? "null" : str(r.location)) +
    ',"poll":' +
    (r.poll === null ? "null" : str(r.poll)) +
    (r.dateOrder === undefined ? "" : ',"dateOrder":"' + r.dateOrder + '"') +
    (withRaw ? ',"raw":' + str(r.raw) : "") +
    "}"
  );
}

/** The human-readable summary printed without --json. */
export function formatSummary(s: ParseSummary, counts: ReadonlyMap<string, number>, file: string): string {
  const d = s.dateOrder;
  const lines = [
    `${file}: ${s.format} (${s.variant})${s.chatTitle ? `, chat "${s.chatTitle}"` : ""}`,
    `records: ${s.recordCount} (${s.messageCount} messages, ${s.systemCount} system events)`,
    `dates: ${s.firstTimestamp ?? "-"} to ${s.lastTimestamp ?? "-"} (local wall-clock time as written; the export may not start at the chat's beginning)`,
    `date order: ${d.order} (${d.status}${d.alternatives.length > 0 ? `; also possible: ${d.alternatives.join(", ")}` : ""}): ${d.evidence}`,
    `out of order: ${s.outOfOrderCount}`,
    `participants: ${counts.size}`,
  ];
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [name, n] of sorted) lines.push(`  ${String(n).padStart(8)}  ${name}`);
  const total = s.issues.length + s.issuesTruncated;
  lines.push(`issues: ${total}`);
  for (const i of s.issues.slice(0, 20)) lines.push(`  line ${i.line}: ${i.reason}`);
  if (total > 20) {
    lines.push(`  … ${total - 20} more (use --json for records; issues are listed in the summary object)`);
  }
  return lines.join("\n") + "\n";
}
