/**
 * @module classify-lines
 * The per-line protocol of `upstander classify`: one JSON object per input line in, one JSON object
 * per line out, a bad line becoming an `{"id", "error"}` line instead of failing the batch. Used by
 * the worker threads and by the in-process path alike.
 */
import { ClassifyInputSchema } from "../contract/detection.ts";
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

/** Classifies one batch; returns the output lines joined by "\n" (with a trailing "\n"). */
export function classifyLineBatch(core: TextClassifierCore, batch: LineBatch): string {
  const lines = batch.payload.split("\n");
  const bad = new Map(batch.bad.map(([i, err, id]) => [i, { err, id }]));
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const lineNo = batch.firstLine + i;
    const known = bad.get(i);
    if (known) {
      out += errorLine(known.id, lineNo, known.err) + "\n";
      continue;
    }
    const raw = lines[i] ?? "";
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      out += errorLine(recoverId(raw.slice(0, 300)), lineNo, "invalid JSON") + "\n";
      continue;
    }
    const parsed = ClassifyInputSchema.safeParse(value);
    if (!parsed.success) {
      const id = typeof value === "object" && value !== null && "id" in value ? value.id : null;
      const issue = parsed.error.issues[0];
      const msg = issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : "invalid input";
      out += errorLine(typeof id === "string" || typeof id === "number" ? id : null, lineNo, msg) + "\n";
      continue;
    }
    const r = core.classify(parsed.data);
    out += ("scores" in r ? JSON.stringify(r) : errorLine(r.id, lineNo, r.error)) + "\n";
  }
  return out;
}
