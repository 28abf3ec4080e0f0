/**
 * Builds messages.jsonl and replies.jsonl from the hand-written sources in ./source.
 *
 * Message sources: a header line `## labels=a,b hard=x` (both optional) applies to the lines under it;
 * each other non-blank line is one message; lines starting with `//` are notes and skipped.
 * Reply sources: `> parent` starts a thread; `c: `, `e: `, `n: ` lines are replies to it with stance
 * challenge, endorse or neutral.
 *
 * Split rule (fixed and deterministic): messages are grouped by (sorted labels, hard case); within a
 * group, every 4th message in source order (index 3, 7, 11, ...) is "test". Replies are split by
 * parent: every 4th parent in source order is "test" with all its replies, so no parent text is seen
 * in both splits.
 *
 * Sources whose name ends in `.train.txt` are training-only: all their lines are "train" and they do
 * not advance the every-4th counters, so adding training material never changes the test split.
 *
 * Usage: node bin/run-ts.js training/data/teamchat/build.ts
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TEXT_CATEGORIES, type Stance, type TextCategory } from "../../../src/contract/detection.ts";
import { HARD_CASES, type HardCase, type MessageRecord, type ReplyRecord } from "./schema.ts";

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = join(here, "source");

function isCategory(s: string): s is TextCategory {
  return (TEXT_CATEGORIES as readonly string[]).includes(s);
}
function isHard(s: string): s is HardCase {
  return (HARD_CASES as readonly string[]).includes(s);
}

/** Parses one message source file; throws with file:line on a malformed header (a build-time error). */
export function parseMessageSource(name: string, content: string): Omit<MessageRecord, "id" | "split">[] {
  const out: Omit<MessageRecord, "id" | "split">[] = [];
  let labels: TextCategory[] = [];
  let hard: HardCase | undefined;
  let inSection = false;
  content.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("//")) return;
    if (line.startsWith("## ")) {
      labels = [];
      hard = undefined;
      inSection = true;
      for (const part of line.slice(3).trim().split(/\s+/)) {
        const [key, value = ""] = part.split("=");
        if (key === "labels") {
          for (const l of value.split(",").filter((v) => v !== "")) {
            if (!isCategory(l)) throw new Error(`${name}:${i + 1}: unknown label ${l}`);
            labels.push(l);
          }
        } else if (key === "hard") {
          if (!isHard(value)) throw new Error(`${name}:${i + 1}: unknown hard case ${value}`);
          hard = value;
        } else throw new Error(`${name}:${i + 1}: bad header part ${part}`);
      }
      return;
    }
    if (!inSection) throw new Error(`${name}:${i + 1}: message before any ## header`);
    const labelsSorted = [...labels].sort();
    out.push(
      hard === undefined ? { text: line, labels: labelsSorted } : { text: line, labels: labelsSorted, hard },
    );
  });
  return out;
}

/** Parses one reply source file into threads. */
export function parseReplySource(
  name: string,
  content: string,
): { parent: string; replies: { reply: string; stance: Stance }[] }[] {
  const threads: { parent: string; replies: { reply: string; stance: Stance }[] }[] = [];
  const stanceOf: Record<string, Stance> = { c: "challenge", e: "endorse", n: "neutral" };
  content.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("//")) return;
    if (line.startsWith(">")) {
      threads.push({ parent: line.slice(1).trim(), replies: [] });
      return;
    }
    const m = /^([cen]):\s*(.+)$/.exec(line);
    const thread = threads.at(-1);
    const stance = m?.[1] === undefined ? undefined : stanceOf[m[1]];
    if (!m?.[2] || stance === undefined || thread === undefined) {
      throw new Error(`${name}:${i + 1}: bad reply line`);
    }
    thread.replies.push({ reply: m[2].trim(), stance });
  });
  return threads;
}

/** A source whose lines are all training material (see the split rule above). */
function isTrainOnly(file: string): boolean {
  return file.endsWith(".train.txt");
}

/** Reads every source file in `dir` and returns the records with ids and splits assigned. */
export function buildRecords(dir: string): { messages: MessageRecord[]; replies: ReplyRecord[] } {
  const files = readdirSync(dir).sort();
  const messages: MessageRecord[] = [];
  const groupCount = new Map<string, number>();
  for (const f of files.filter((x) => x.startsWith("messages-") && x.endsWith(".txt"))) {
    const trainOnly = isTrainOnly(f);
    for (const m of parseMessageSource(f, readFileSync(join(dir, f), "utf8"))) {
      const key = `${m.labels.join(",")}|${m.hard ?? ""}`;
      const k = groupCount.get(key) ?? 0;
      if (!trainOnly) groupCount.set(key, k + 1);
      const id = `m${String(messages.length + 1).padStart(4, "0")}`;
      const split = !trainOnly && k % 4 === 3 ? "test" : "train";
      messages.push(
        m.hard === undefined
          ? { id, text: m.text, labels: m.labels, split }
          : { id, text: m.text, labels: m.labels, split, hard: m.hard },
      );
    }
  }
  const replies: ReplyRecord[] = [];
  let parentIndex = 0;
  for (const f of files.filter((x) => x.startsWith("replies-") && x.endsWith(".txt"))) {
    const trainOnly = isTrainOnly(f);
    for (const t of parseReplySource(f, readFileSync(join(dir, f), "utf8"))) {
      const split = !trainOnly && parentIndex % 4 === 3 ? "test" : "train";
      if (!trainOnly) parentIndex += 1;
      for (const r of t.replies) {
        replies.push({
          id: `r${String(replies.length + 1).padStart(4, "0")}`,
          parent: t.parent,
          reply: r.reply,
          stance: r.stance,
          split,
        });
      }
    }
  }
  return { messages, replies };
}

/** The JSONL text of a list of records, one object per line. */
export function toJsonl(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

function main(): void {
  const { messages, replies } = buildRecords(sourceDir);
  writeFileSync(join(here, "messages.jsonl"), toJsonl(messages));
  writeFileSync(join(here, "replies.jsonl"), toJsonl(replies));
  console.log(`wrote ${messages.length} messages, ${replies.length} replies`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
