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

/**
 * jsonNumber() of `n + 1` values `value(i)` as ASCII bytes, ENTRY bytes each: the length, then the
 * characters (at most 7).
 */
const ENTRY = 8;
function numberTable(n: number, value: (i: number) => number): Uint8Array {
  const t = new Uint8Array((n + 1) * ENTRY);
  for (let i = 0; i <= n; i++) {
    const s = jsonNumber(value(i));
    if (s.length >= ENTRY) throw new Error(`number too long for the table: ${s}`);
    t[i * ENTRY] = s.length;
    for (let j = 0; j < s.length; j++) t[i * ENTRY + 1 + j] = s.charCodeAt(j);
  }
  return t;
}
/** Every 4-decimal value in [0, 1], by the value times 10,000: scores and stances. */
const PROB_TABLE = numberTable(10000, (i) => i / 10000);
/** Every 3-decimal value in [0, 20], by the value times 1,000: reason weights. */
const WEIGHT_TABLE = numberTable(20000, (i) => i / 1000);

/** The table entry of jsonNumber(round(p, 4)) for a probability; -1 when out of the table. */
function probEntry(p: number): number {
  const i = Math.round(p * 10000);
  return i >= 0 && i <= 10000 ? i * ENTRY : -1;
}

/** The table entry of jsonNumber(w) for a weight rounded to 3 decimals; -1 when out of the table. */
function weightEntry(w: number): number {
  const i = Math.round(w * 1000);
  // i / 1000 === w: the table holds jsonNumber of exactly this value.
  return i >= 0 && i <= 20000 && i / 1000 === w ? i * ENTRY : -1;
}

/** What OutputBuffer's `write` appends, in a buffer of its own (any number takes at most 25 bytes). */
function writtenText(write: (out: OutputBuffer) => void): string {
  const out = new OutputBuffer(Buffer.alloc(32));
  write(out);
  return out.bytes.toString("latin1", 0, out.length);
}

/** A probability as the output writes it (OutputBuffer.prob, exported for tests). */
export function probJson(p: number): string {
  return writtenText((out) => out.prob(p));
}

/** A weight rounded to 3 decimals as the output writes it (OutputBuffer.weight, exported for tests). */
export function weightJson(w: number): string {
  return writtenText((out) => out.weight(w));
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ID_OPEN = ascii('{"id":');
const SCORES_OPEN = TEXT_CATEGORIES.map((c, j) => ascii(`${j === 0 ? ',"scores":{' : ","}"${c}":`));
const FLAGGED_OPEN = ascii('},"flagged":[');
const CATEGORY_JSON = TEXT_CATEGORIES.map((c) => ascii(`"${c}"`));
const REASONS_OPEN = ascii('],"reasons":[');
const REASON_PREFIX = TEXT_CATEGORIES.map((c) => ascii(`{"category":"${c}","evidence":`));
const WEIGHT_OPEN = ascii(',"weight":');
const STANCE_OPEN = ['"stance":{"challenge":', ',"endorse":', ',"neutral":'].map(ascii);

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
 * A batch's output being written, as UTF-8 bytes into one growing buffer: a scored message is written
 * byte by byte from precomputed strings (numbers by table), with no string built for the line (the
 * strings of each line, built and then encoded, were most of what the garbage collector had to do).
 * The buffer is reused from batch to batch; what a batch wrote is copied out at the end into a buffer
 * of exactly its size, the one that is moved to the calling thread (a fresh over-sized buffer per
 * batch made each thread hold tens of MB of them until its next full garbage collection).
 */
class OutputBuffer {
  /** One per thread: batches are classified one at a time. */
  private static scratch = Buffer.allocUnsafeSlow(256 * 1024);
  bytes: Buffer;
  length = 0;
  lines = 0;
  errors = 0;
  /** Writes into the thread's scratch buffer unless given its own (see writtenText). */
  constructor(bytes: Buffer = OutputBuffer.scratch) {
    this.bytes = bytes;
  }
  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    if (this.bytes === OutputBuffer.scratch) OutputBuffer.scratch = bigger;
    this.bytes = bigger;
  }
  /** Appends `s`, all of whose chars are ASCII (room made by the caller). */
  private ascii(s: string): void {
    const b = this.bytes;
    let p = this.length;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.length = p;
  }
  /** Appends bytes (room made by the caller). */
  private lit(s: Uint8Array): void {
    const b = this.bytes;
    let p = this.length;
    for (let i = 0; i < s.length; i++) b[p++] = s[i] as number;
    this.length = p;
  }
  /** Appends a number table's entry (room made by the caller). */
  private entry(table: Uint8Array, at: number): void {
    const b = this.bytes;
    let p = this.length;
    for (let i = at + 1, end = i + (table[at] as number); i < end; i++) b[p++] = table[i] as number;
    this.length = p;
  }
  /** Appends jsonNumber(round(p, 4)), by table for [0, 1] (room made by the caller). */
  prob(p: number): void {
    const at = probEntry(p);
    if (at >= 0) this.entry(PROB_TABLE, at);
    else this.ascii(jsonNumber(round(p, 4)));
  }
  /** Appends jsonNumber(w) of a weight rounded to 3 decimals, by table for [0, 20] (room made by the caller). */
  weight(w: number): void {
    const at = weightEntry(w);
    if (at >= 0) this.entry(WEIGHT_TABLE, at);
    else this.ascii(jsonNumber(w));
  }
  /** Appends any string as UTF-8. */
  private text(s: string): void {
    this.room(3 * s.length);
    this.length += this.bytes.write(s, this.length, "utf8");
  }
  /** Appends JSON.stringify(s): quoted as it is when nothing in it needs escaping or encoding. */
  private jsonString(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.text(JSON.stringify(s));
        return;
      }
    }
    this.room(s.length + 2);
    const b = this.bytes;
    b[this.length++] = 34;
    this.ascii(s);
    b[this.length++] = 34;
  }
  /** Appends JSON.stringify(id). */
  private id(id: string | number): void {
    if (typeof id === "string") {
      this.jsonString(id);
    } else if (id >= 0 && id < 1e9 && id === Math.floor(id) && !Object.is(id, -0)) {
      // A small non-negative integer: its digits (what JSON.stringify gives), without a string.
      this.room(10);
      const b = this.bytes;
      let digits = 1;
      for (let x = id; x >= 10; x = Math.floor(x / 10)) digits++;
      let p = this.length + digits;
      this.length = p;
      let x = id;
      do {
        b[--p] = 48 + (x % 10);
        x = Math.floor(x / 10);
      } while (x > 0);
    } else {
      this.text(JSON.stringify(id));
    }
  }
  /** Appends a line (and "\n"). */
  line(s: string): void {
    this.text(s + "\n");
  }
  /**
   * Appends exactly `JSON.stringify(core.classify(input)) + "\n"` for a scored message (same key
   * order, same number formatting).
   */
  scored(id: string | number, s: ScoredMessage): void {
    // Room is made before each part for its largest size: ASCII of known length (a number at most
    // 25 bytes) or, for the id and the evidence, by jsonString() itself.
    this.room(8);
    this.lit(ID_OPEN);
    this.id(id);
    this.room(400);
    const p = s.probs;
    for (let j = 0; j < SCORES_OPEN.length; j++) {
      this.lit(SCORES_OPEN[j] as Uint8Array);
      this.prob(p[j] as number);
    }
    this.lit(FLAGGED_OPEN);
    for (let j = 0, first = true; j < CATEGORY_JSON.length; j++) {
      if (s.flagged[j] !== 1) continue;
      if (!first) this.bytes[this.length++] = 44;
      this.lit(CATEGORY_JSON[j] as Uint8Array);
      first = false;
    }
    this.lit(REASONS_OPEN);
    for (let r = 0; r < s.nReasons; r++) {
      this.room(64);
      if (r > 0) this.bytes[this.length++] = 44;
      this.lit(REASON_PREFIX[s.reasonCategory[r] as number] as Uint8Array);
      this.jsonString(s.reasonEvidence[r] as string);
      this.room(64);
      this.lit(WEIGHT_OPEN);
      this.weight(s.reasonWeight[r] as number);
      this.bytes[this.length++] = 125;
    }
    this.room(200);
    this.bytes[this.length++] = 93;
    if (s.hasStance) {
      const q = s.stance;
      this.bytes[this.length++] = 44;
      for (let k = 0; k < STANCE_OPEN.length; k++) {
        this.lit(STANCE_OPEN[k] as Uint8Array);
        this.prob(q[k] as number);
      }
      this.bytes[this.length++] = 125;
    }
    this.bytes[this.length++] = 125;
    this.bytes[this.length++] = 10;
  }
  error(id: string | number | null, lineNo: number, error: string): void {
    this.line(errorLine(id, lineNo, error));
    this.errors++;
  }
  /** The bytes written, in a buffer of their own (never Node's shared pool: it may be moved to another thread). */
  done(): Buffer {
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
  else out.scored(input.id, r);
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
