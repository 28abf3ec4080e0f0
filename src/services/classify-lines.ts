/**
 * @module classify-lines
 * The per-line protocol of `upstander classify`: one JSON object per input line in, one JSON object
 * per line out, a bad line becoming an `{"id", "error"}` line instead of failing the batch. Used by
 * the worker threads and by the in-process path alike.
 */
import { ClassifyInputSchema, type ClassifyResult } from "../contract/detection.ts";
import type { TextClassifierCore } from "../domain/detect/text-classifier.ts";

/** A batch of raw input lines; lines already known bad (invalid UTF-8, too long) carry their error. */
export interface LineBatch {
  /** The lines joined by "\n" (one string clones faster between threads than an array). */
  payload: string;
  /** [index in batch, error message, id recovered from the line's start if any]. */
  bad: Array<[number, string, string | number | null]>;
  /** 1-based number of the batch's first line in the whole input. */
  firstLine: number;
}

const ID_PREFIX = /"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})/;

/** Recovers the id from the start of a line that cannot be parsed as a whole. */
export function recoverId(prefix: string): string | number | null {
  const m = ID_PREFIX.exec(prefix);
  if (!m?.[1]) return null;
  try {
    const v: unknown = JSON.parse(m[1]);
    return typeof v === "string" || typeof v === "number" ? v : null;
  } catch {
    return null;
  }
}

function errorLine(id: string | number | null, line: number, error: string): string {
  return JSON.stringify({ id, line, error });
}

/**
 * A number rounded to at most 4 decimals, formatted exactly as JSON.stringify would, but through
 * integer formatting: V8's shortest-round-trip float printing was a visible cost per message.
 */
function num(x: number): string {
  const scaled = Math.round(x * 10000);
  if (!Number.isFinite(x) || Math.abs(scaled) >= 2 ** 31 || scaled / 10000 !== x) return JSON.stringify(x);
  const neg = scaled < 0;
  const a = neg ? -scaled : scaled;
  const int = (a / 10000) | 0;
  let frac = a - int * 10000;
  if (frac === 0) return (neg ? "-" : "") + String(int);
  let digits = 4;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${neg ? "-" : ""}${int}.${String(frac).padStart(digits, "0")}`;
}

/**
 * The same JSON as `JSON.stringify(r)` (same key order), built by hand: serialising nested objects
 * was the largest single cost per message.
 */
export function resultToJson(r: ClassifyResult): string {
  const sc = r.scores;
  let s = `{"id":${JSON.stringify(r.id)},"scores":{"sexual":${num(sc.sexual)},"misogyny":${num(sc.misogyny)},"racism":${num(sc.racism)},"homophobia":${num(sc.homophobia)},"derogatory":${num(sc.derogatory)},"threat":${num(sc.threat)}},"flagged":[`;
  for (let i = 0; i < r.flagged.length; i++) s += `${i > 0 ? "," : ""}"${r.flagged[i] ?? ""}"`;
  s += '],"reasons":[';
  for (let i = 0; i < r.reasons.length; i++) {
    const x = r.reasons[i];
    if (!x) continue;
    s += `${i > 0 ? "," : ""}{"category":"${x.category}","evidence":${JSON.stringify(x.evidence)},"weight":${num(x.weight)}}`;
  }
  s += "]";
  if (r.stance) {
    s += `,"stance":{"challenge":${num(r.stance.challenge)},"endorse":${num(r.stance.endorse)},"neutral":${num(r.stance.neutral)}}`;
  }
  return s + "}";
}

/** The output of one batch: its lines joined by "\n" (with a trailing "\n"), and how many are errors. */
export interface BatchOutput {
  text: string;
  errors: number;
}

/** Classifies one batch of lines. */
export function classifyLineBatch(core: TextClassifierCore, batch: LineBatch): BatchOutput {
  const lines = batch.payload.split("\n");
  const bad = new Map(batch.bad.map(([i, err, id]) => [i, { err, id }]));
  let out = "";
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = batch.firstLine + i;
    const known = bad.get(i);
    if (known) {
      out += errorLine(known.id, lineNo, known.err) + "\n";
      errors++;
      continue;
    }
    const raw = lines[i] ?? "";
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      out += errorLine(recoverId(raw.slice(0, 300)), lineNo, "invalid JSON") + "\n";
      errors++;
      continue;
    }
    const parsed = ClassifyInputSchema.safeParse(value);
    if (!parsed.success) {
      const id = typeof value === "object" && value !== null && "id" in value ? value.id : null;
      const issue = parsed.error.issues[0];
      const msg = issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : "invalid input";
      out += errorLine(typeof id === "string" || typeof id === "number" ? id : null, lineNo, msg) + "\n";
      errors++;
      continue;
    }
    const r = core.classify(parsed.data);
    out += ("scores" in r ? resultToJson(r) : errorLine(r.id, lineNo, r.error)) + "\n";
    if (!("scores" in r)) errors++;
  }
  return { text: out, errors };
}
