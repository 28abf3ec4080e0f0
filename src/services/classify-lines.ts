/**
 * @module classify-lines
 * The per-line protocol of `upstander classify`: one JSON object per input line in, one JSON object
 * per line out, a bad line becoming an `{"id", "error"}` line instead of failing the batch. Used by
 * the worker threads and by the in-process path alike.
 */
import { isUtf8 } from "node:buffer";
import { ClassifyInputSchema, TEXT_CATEGORIES, type ClassifyInput } from "../contract/detection.ts";
import { parsePlainLine } from "./classify-line-parse.ts";
import { round, type ScoredMessage, type TextClassifierCore } from "../domain/detect/text-classifier.ts";

/**
 * A batch of consecutive raw input lines, as bytes: one buffer moves between threads without copying,
 * and decoding happens on the thread that classifies. Blank lines are included (and skipped there),
 * so line numbers stay right.
 */
export interface LineBatch {
  /** The lines' bytes, each line ended by "\n" except perhaps the last. */
  bytes: Uint8Array;
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

/** The output line for an input line that could not be classified. */
export function errorLine(id: string | number | null, line: number, error: string): string {
  return JSON.stringify({ id, line, error });
}

/**
 * A number rounded to at most 4 decimals, formatted exactly as JSON.stringify would, but through
 * integer formatting: V8's shortest-round-trip float printing was a visible cost per message.
 */
export function jsonNumber(x: number): string {
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

/** jsonNumber() of every 4-decimal value in [0, 1], indexed by the value times 10,000: scores and stances. */
const UNIT_4DP: string[] = Array.from({ length: 10001 }, (_, i) => jsonNumber(i / 10000));

/** jsonNumber(round(p, 4)), by table for probabilities. */
function prob(p: number): string {
  const i = Math.round(p * 10000);
  return i >= 0 && i <= 10000 ? (UNIT_4DP[i] as string) : jsonNumber(round(p, 4));
}

const CATEGORY_JSON = TEXT_CATEGORIES.map((c) => `"${c}"`);
const REASON_PREFIX = TEXT_CATEGORIES.map((c) => `{"category":"${c}","evidence":`);

/**
 * Exactly `JSON.stringify(core.classify(input))` for a scored message (same key order), built by hand
 * from the scores without the objects in between: serialising nested objects was the largest single
 * cost per message.
 */
export function scoredToJson(id: string | number, s: ScoredMessage): string {
  const p = s.probs;
  let out = `{"id":${JSON.stringify(id)},"scores":{"sexual":${prob(p[0] as number)},"misogyny":${prob(p[1] as number)},"racism":${prob(p[2] as number)},"homophobia":${prob(p[3] as number)},"derogatory":${prob(p[4] as number)},"threat":${prob(p[5] as number)}},"flagged":[`;
  let first = true;
  for (let j = 0; j < CATEGORY_JSON.length; j++) {
    if (s.flagged[j] !== 1) continue;
    out += first ? CATEGORY_JSON[j] : `,${CATEGORY_JSON[j]}`;
    first = false;
  }
  out += '],"reasons":[';
  for (let r = 0; r < s.nReasons; r++) {
    out += `${r > 0 ? "," : ""}${REASON_PREFIX[s.reasonCategory[r] as number]}${JSON.stringify(s.reasonEvidence[r])},"weight":${jsonNumber(s.reasonWeight[r] as number)}}`;
  }
  out += "]";
  if (s.hasStance) {
    const q = s.stance;
    out += `,"stance":{"challenge":${prob(q[0] as number)},"endorse":${prob(q[1] as number)},"neutral":${prob(q[2] as number)}}`;
  }
  return out + "}";
}

/**
 * The input a parsed line holds, when it is plainly valid (the common case), checked by hand: what
 * ClassifyInputSchema would return for it. Anything else goes through the schema for its message.
 */
function plainInput(value: unknown): ClassifyInput | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as { id?: unknown; text?: unknown; replyTo?: unknown };
  if ((typeof v.id !== "string" && typeof v.id !== "number") || typeof v.text !== "string") return undefined;
  // Read only through these three fields, so extra fields (which the schema would strip) do no harm.
  return v.replyTo === undefined || typeof v.replyTo === "string" ? (v as ClassifyInput) : undefined;
}

/**
 * The output of one batch: its lines, each ended by "\n", as UTF-8 bytes, how many lines and how many of
 * them errors.
 */
export interface BatchOutput {
  text: Uint8Array;
  lines: number;
  errors: number;
}

/**
 * A batch's output being written: each line is encoded into one growing buffer as soon as it is built,
 * so the line's strings die young (a batch of concatenated strings kept them all alive, and the
 * garbage collector copied them again and again). The buffer is reused from batch to batch; what a
 * batch wrote is copied out at the end into a buffer of exactly its size, the one that is moved to
 * the calling thread (a fresh over-sized buffer per batch made each thread hold tens of MB of them
 * until its next full garbage collection).
 */
class OutputBuffer {
  /** One per thread: batches are classified one at a time. */
  private static scratch = Buffer.allocUnsafeSlow(256 * 1024);
  bytes: Buffer;
  length = 0;
  lines = 0;
  errors = 0;
  /** A few lines' text, encoded together (one call per line cost more than the encoding itself). */
  private pending = "";
  constructor() {
    this.bytes = OutputBuffer.scratch;
  }
  /** Appends `s` and a "\n". */
  line(s: string): void {
    this.pending += s + "\n";
    if (this.pending.length >= 8192) this.encode();
  }
  error(id: string | number | null, lineNo: number, error: string): void {
    this.line(errorLine(id, lineNo, error));
    this.errors++;
  }
  private encode(): void {
    const s = this.pending;
    this.pending = "";
    const need = this.length + 3 * s.length;
    if (need > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
      OutputBuffer.scratch = bigger;
    }
    this.length += this.bytes.write(s, this.length, "utf8");
  }
  /** The bytes written, in a buffer of their own (never Node's shared pool: it may be moved to another thread). */
  done(): Buffer {
    this.encode();
    const out = Buffer.allocUnsafeSlow(this.length);
    this.bytes.copy(out, 0, 0, this.length);
    return out;
  }
}

/** Spaces, tabs and carriage returns only (what a blank line may hold). */
function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Bytes kept from a line that cannot be decoded, to recover its id. */
const ID_PREFIX_BYTES = 300;

/** Classifies one batch of lines. */
export function classifyLineBatch(core: TextClassifierCore, batch: LineBatch): BatchOutput {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const out = new OutputBuffer();
  // One decode for the whole batch when it is valid UTF-8 (almost always); else line by line.
  if (isUtf8(bytes)) {
    const payload = bytes.toString("utf8");
    let start = 0;
    for (let i = 0; start < payload.length; i++) {
      let end = payload.indexOf("\n", start);
      if (end < 0) end = payload.length;
      classifyOneLine(core, payload.slice(start, end), batch.firstLine + i, out);
      start = end + 1;
    }
  } else {
    let start = 0;
    for (let i = 0; start < bytes.length; i++) {
      let end = bytes.indexOf(10, start);
      if (end < 0) end = bytes.length;
      const line = bytes.subarray(start, end);
      start = end + 1;
      if (isUtf8(line)) {
        classifyOneLine(core, line.toString("utf8"), batch.firstLine + i, out);
      } else {
        out.lines++;
        out.error(
          recoverId(line.subarray(0, ID_PREFIX_BYTES).toString("utf8")),
          batch.firstLine + i,
          "invalid UTF-8",
        );
      }
    }
  }
  return { text: out.done(), lines: out.lines, errors: out.errors };
}

/** Classifies one decoded line into `out` (nothing for a blank line). */
function classifyOneLine(core: TextClassifierCore, line: string, lineNo: number, out: OutputBuffer): void {
  if (isBlank(line)) return;
  out.lines++;
  // "\r" from CRLF input is trimmed.
  const raw = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  const input = parsePlainLine(raw) ?? parseLine(raw, lineNo, out);
  if (input === undefined) return;
  const r = core.score(input);
  if (typeof r === "string") out.error(input.id, lineNo, r);
  else out.line(scoredToJson(input.id, r));
}

/** The input a line holds, through JSON.parse and the schema; undefined (and an error line written) if none. */
function parseLine(raw: string, lineNo: number, out: OutputBuffer): ClassifyInput | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    out.error(recoverId(raw.slice(0, 300)), lineNo, "invalid JSON");
    return undefined;
  }
  let input = plainInput(value);
  if (input === undefined) {
    const parsed = ClassifyInputSchema.safeParse(value);
    if (!parsed.success) {
      const id = typeof value === "object" && value !== null && "id" in value ? value.id : null;
      const issue = parsed.error.issues[0];
      const msg = issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : "invalid input";
      out.error(typeof id === "string" || typeof id === "number" ? id : null, lineNo, msg);
      return undefined;
    }
    input = parsed.data;
  }
  return input;
}
