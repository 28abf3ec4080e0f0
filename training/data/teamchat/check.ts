/**
 * Validates messages.jsonl and replies.jsonl (schema, unique ids, no duplicate texts, both splits present,
 * no training message that is a near-duplicate of a test message) and prints counts per label, hard case,
 * stance and split.
 *
 * Usage: node bin/run-ts.js training/data/teamchat/check.ts   (exit code 1 if any problem)
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STANCES, TEXT_CATEGORIES } from "../../../src/contract/detection.ts";
import { normalizeTokens } from "../../../src/domain/detect/normalize.ts";
import {
  HARD_CASES,
  MessageRecordSchema,
  ReplyRecordSchema,
  type MessageRecord,
  type ReplyRecord,
} from "./schema.ts";

export interface SplitCount {
  train: number;
  test: number;
  total: number;
}

export interface TeamchatReport {
  problems: string[];
  messages: number;
  replies: number;
  /** Positives per label, plus "none" for messages with no label. */
  perLabel: Record<string, SplitCount>;
  perHard: Record<string, SplitCount>;
  /** Per hard case: how many of its messages carry no label and how many carry at least one. */
  perHardLabelled: Record<string, { clean: number; flagged: number }>;
  perStance: Record<string, SplitCount>;
  messageSplits: SplitCount;
  replySplits: SplitCount;
}

const zero = (): SplitCount => ({ train: 0, test: 0, total: 0 });
function bump(map: Record<string, SplitCount>, key: string, split: "train" | "test"): void {
  const c = (map[key] ??= zero());
  c[split] += 1;
  c.total += 1;
}

function parseLines<T>(
  name: string,
  text: string,
  parse: (v: unknown) => { success: true; data: T } | { success: false; error: { message: string } },
  problems: string[],
): T[] {
  const out: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${name}:${i + 1}: not JSON`);
      return;
    }
    const r = parse(value);
    if (r.success) out.push(r.data);
    else problems.push(`${name}:${i + 1}: ${r.error.message}`);
  });
  return out;
}

/** Jaccard overlap of two token sets at or above which a train/test pair counts as a near-duplicate. */
export const NEAR_DUPLICATE_JACCARD = 0.8;

/**
 * Training messages written before this check existed whose near-duplicate pair is left as it is: they
 * come from sources that advance the every-4th split counters, so removing them would move other
 * messages between train and test (see README, "Near-duplicates"). New training data gets no exemption.
 */
export const LEGACY_NEAR_DUPLICATES: ReadonlySet<string> = new Set([
  "m0433",
  "m0626",
  "m0948",
  "m0961",
  "m1686",
  "m1781",
  "m1836",
]);

/** True when `inner` occurs as a contiguous run of tokens inside `outer`. */
function containsRun(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length === 0 || inner.length > outer.length) return false;
  return ` ${outer.join(" ")} `.includes(` ${inner.join(" ")} `);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let both = 0;
  for (const t of sa) if (sb.has(t)) both += 1;
  const union = sa.size + sb.size - both;
  return union === 0 ? 1 : both / union;
}

/**
 * Why a training message is a near-duplicate of a test message, or undefined. Compared after
 * normalisation (so "f@g" and "fag" are the same token): equal token lists; one message's tokens as a
 * contiguous run inside the other's, when that run is at least two tokens (a single shared word such as
 * "done" or a bare slur is vocabulary, not a copied message); or Jaccard overlap >= 0.8. Only pairs with
 * the same labels count: a clean counter-speech test message quoting a training slur is the contrast
 * the detector has to learn, not a leak of the answer.
 */
export function nearDuplicateReason(train: readonly string[], test: readonly string[]): string | undefined {
  if (train.length > 0 && train.join(" ") === test.join(" ")) return "equal after normalisation";
  if (train.length >= 2 && containsRun(test, train)) return "contained in the test message";
  if (test.length >= 2 && containsRun(train, test)) return "contains the test message";
  if (jaccard(train, test) >= NEAR_DUPLICATE_JACCARD) return "token Jaccard >= 0.8";
  return undefined;
}

function nearDuplicateProblems(messages: readonly MessageRecord[]): string[] {
  const key = (m: MessageRecord): string => [...m.labels].sort().join(",");
  const tokens = (m: MessageRecord): string[] => normalizeTokens(m.text);
  const test = messages.filter((m) => m.split === "test").map((m) => ({ m, t: tokens(m), k: key(m) }));
  const problems: string[] = [];
  for (const m of messages) {
    if (m.split !== "train" || LEGACY_NEAR_DUPLICATES.has(m.id)) continue;
    const t = tokens(m);
    const k = key(m);
    for (const x of test) {
      if (x.k !== k) continue;
      const why = nearDuplicateReason(t, x.t);
      if (why !== undefined) problems.push(`near-duplicate of test ${x.m.id} (${m.id}, ${why}): ${m.text}`);
    }
  }
  return problems;
}

/** Checks the two files' contents; problems are returned as data, never thrown. */
export function checkTeamchat(messagesText: string, repliesText: string): TeamchatReport {
  const problems: string[] = [];
  const messages: MessageRecord[] = parseLines(
    "messages.jsonl",
    messagesText,
    (v) => MessageRecordSchema.safeParse(v),
    problems,
  );
  const replies: ReplyRecord[] = parseLines(
    "replies.jsonl",
    repliesText,
    (v) => ReplyRecordSchema.safeParse(v),
    problems,
  );

  const perLabel: Record<string, SplitCount> = {};
  for (const l of [...TEXT_CATEGORIES, "none"]) perLabel[l] = zero();
  const perHard: Record<string, SplitCount> = {};
  for (const h of HARD_CASES) perHard[h] = zero();
  const perHardLabelled: Record<string, { clean: number; flagged: number }> = {};
  for (const h of HARD_CASES) perHardLabelled[h] = { clean: 0, flagged: 0 };
  const perStance: Record<string, SplitCount> = {};
  for (const s of STANCES) perStance[s] = zero();
  const messageSplits = zero();
  const replySplits = zero();

  const ids = new Set<string>();
  const texts = new Set<string>();
  for (const m of messages) {
    if (ids.has(m.id)) problems.push(`duplicate id ${m.id}`);
    ids.add(m.id);
    if (texts.has(m.text)) problems.push(`duplicate text (${m.id}): ${m.text}`);
    texts.add(m.text);
    bump({ all: messageSplits }, "all", m.split);
    if (m.labels.length === 0) bump(perLabel, "none", m.split);
    for (const l of m.labels) bump(perLabel, l, m.split);
    if (m.hard !== undefined) {
      bump(perHard, m.hard, m.split);
      const hl = (perHardLabelled[m.hard] ??= { clean: 0, flagged: 0 });
      if (m.labels.length === 0) hl.clean += 1;
      else hl.flagged += 1;
    }
  }
  problems.push(...nearDuplicateProblems(messages));
  const pairs = new Set<string>();
  const parentSplit = new Map<string, string>();
  for (const r of replies) {
    if (ids.has(r.id)) problems.push(`duplicate id ${r.id}`);
    ids.add(r.id);
    const pair = `${r.parent}\u0000${r.reply}`;
    if (pairs.has(pair)) problems.push(`duplicate reply pair (${r.id})`);
    pairs.add(pair);
    const seen = parentSplit.get(r.parent);
    if (seen !== undefined && seen !== r.split) problems.push(`parent in both splits (${r.id})`);
    parentSplit.set(r.parent, r.split);
    bump({ all: replySplits }, "all", r.split);
    bump(perStance, r.stance, r.split);
  }
  if (messages.length > 0 && (messageSplits.train === 0 || messageSplits.test === 0)) {
    problems.push("messages: a split is empty");
  }
  if (replies.length > 0 && (replySplits.train === 0 || replySplits.test === 0)) {
    problems.push("replies: a split is empty");
  }
  return {
    problems,
    messages: messages.length,
    replies: replies.length,
    perLabel,
    perHard,
    perHardLabelled,
    perStance,
    messageSplits,
    replySplits,
  };
}

/** Renders a report as the plain-text tables pasted into README.md. */
export function formatReport(r: TeamchatReport): string {
  const row = (k: string, c: SplitCount): string => `| ${k} | ${c.train} | ${c.test} | ${c.total} |`;
  const table = (title: string, map: Record<string, SplitCount>): string[] => [
    `| ${title} | train | test | total |`,
    "|---|---|---|---|",
    ...Object.entries(map).map(([k, c]) => row(k, c)),
  ];
  return [
    `messages: ${r.messages} (train ${r.messageSplits.train}, test ${r.messageSplits.test}); replies: ${r.replies} (train ${r.replySplits.train}, test ${r.replySplits.test})`,
    "",
    ...table("label", r.perLabel),
    "",
    ...table("hard case", r.perHard),
    "",
    "| hard case | no label | at least one label |",
    "|---|---|---|",
    ...Object.entries(r.perHardLabelled).map(([k, c]) => `| ${k} | ${c.clean} | ${c.flagged} |`),
    "",
    ...table("reply stance", r.perStance),
  ].join("\n");
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const report = checkTeamchat(
    readFileSync(join(here, "messages.jsonl"), "utf8"),
    readFileSync(join(here, "replies.jsonl"), "utf8"),
  );
  console.log(formatReport(report));
  if (report.problems.length > 0) {
    console.error(report.problems.join("\n"));
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
