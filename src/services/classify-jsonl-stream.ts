/**
 * @module classify-jsonl-stream
 * Streams JSON lines through a text classifier with bounded memory: input bytes are cut into batches
 * of whole lines (about BATCH_BYTES each), at most a few batches are in flight at once, and results
 * are written strictly in input order. This thread only finds line ends and counts lines; decoding,
 * parsing and classifying happen where the batch is classified (a worker thread, or here with
 * threads 0). Over-long lines are caught here, on the bytes, and become per-line errors.
 */
import { errorLine, recoverId, type BatchOutput } from "./classify-lines.ts";
import type { TextClassifier } from "./classify-texts.ts";

/** Lines longer than this (bytes) are refused; only their first bytes are kept, to recover the id. */
export const MAX_LINE_BYTES = 1_000_000;
/** A batch is cut at the first line end after this many bytes: about 1,000 short messages. */
const BATCH_BYTES = 64 * 1024;
const ID_PREFIX_BYTES = 300;

export interface StreamStats {
  lines: number;
  errors: number;
}

/**
 * Reads `input` (chunks of bytes), classifies every non-blank line and calls `write` with output text
 * in input order. `write` should resolve when the output can take more (back-pressure).
 */
export async function classifyJsonlStream(
  input: AsyncIterable<Buffer | string>,
  classifier: TextClassifier,
  write: (s: string | Uint8Array) => Promise<void>,
): Promise<StreamStats> {
  const maxInFlight = Math.max(2, classifier.threads * 3);
  const inFlight: Promise<BatchOutput>[] = [];
  const stats: StreamStats = { lines: 0, errors: 0 };
  /** Whole lines of the current batch (each ended by "\n"), and the current line's bytes so far. */
  let parts: Buffer[] = [];
  /**
   * Consecutive whole lines of one input chunk not yet in `parts`: `runChunk[runStart, runEnd)`. Kept
   * as a range and cut out once, rather than a subarray per line (a million small objects).
   */
  let runChunk: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;
  let partsBytes = 0;
  let batchLines = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  /** Number of the current batch's first line. */
  let firstLine = 1;
  /** Set while skipping the rest of an over-long line; holds its first bytes. */
  let tooLongHead: Buffer | undefined;

  const drainOne = async (): Promise<void> => {
    const head = inFlight.shift();
    if (!head) return;
    const out = await head;
    stats.lines += out.lines;
    stats.errors += out.errors;
    if (out.text.length > 0) await write(out.text);
  };
  const enqueue = async (p: Promise<BatchOutput>): Promise<void> => {
    inFlight.push(p);
    while (inFlight.length >= maxInFlight) await drainOne();
  };
  const endRun = (): void => {
    if (runChunk !== undefined && runEnd > runStart) parts.push(runChunk.subarray(runStart, runEnd));
    runChunk = undefined;
  };
  const flush = async (): Promise<void> => {
    endRun();
    if (batchLines === 0) return;
    // A fresh buffer (never a slice of Node's shared pool): it is moved to a worker thread.
    const bytes = new Uint8Array(partsBytes);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const batch = { bytes, firstLine };
    firstLine += batchLines;
    parts = [];
    partsBytes = 0;
    batchLines = 0;
    await enqueue(classifier.classifyLines(batch));
  };
  /**
   * Ends the current line at `b[start, end)` (end excluded, no "\n"). Synchronous, so the per-line
   * path costs no promise; returns true when the batch is full (or an over-long line needs
   * reporting) and the caller should await `cut()`.
   */
  let tooLongPending: Buffer | undefined;
  const endLine = (b: Buffer, start: number, end: number): boolean => {
    if (tooLongHead !== undefined) {
      tooLongPending = tooLongHead;
      tooLongHead = undefined;
      return true;
    }
    if (tail.length > 0) {
      // The line began in an earlier chunk: what is in the run comes first.
      endRun();
      for (const t of tail) parts.push(t);
      partsBytes += tailBytes;
      tail = [];
      tailBytes = 0;
    }
    // The line with its "\n" (absent only at the very end of the input).
    const withNl = end < b.length ? end + 1 : end;
    if (runChunk === b && runEnd === start) {
      runEnd = withNl;
    } else {
      endRun();
      runChunk = b;
      runStart = start;
      runEnd = withNl;
    }
    partsBytes += withNl - start;
    batchLines++;
    return partsBytes >= BATCH_BYTES;
  };
  /** Sends the batch on, and reports an over-long line that just ended, in its place. */
  const cut = async (): Promise<void> => {
    await flush();
    const head = tooLongPending;
    if (head === undefined) return;
    tooLongPending = undefined;
    const line = firstLine++;
    const text = errorLine(
      recoverId(head.toString("utf8")),
      line,
      `line longer than ${MAX_LINE_BYTES} bytes`,
    );
    await enqueue(Promise.resolve({ text: Buffer.from(text + "\n", "utf8"), lines: 1, errors: 1 }));
  };
  /** Adds `b[start..]`, a piece of a line whose end has not arrived yet. */
  const addTail = (b: Buffer, start: number): void => {
    if (tooLongHead !== undefined || start >= b.length) return;
    const piece = b.subarray(start);
    if (tailBytes + piece.length > MAX_LINE_BYTES) {
      // Keep only the start of the line, for the id; skip the rest up to its end.
      tooLongHead = Buffer.from(Buffer.concat([...tail, piece]).subarray(0, ID_PREFIX_BYTES));
      tail = [];
      tailBytes = 0;
      return;
    }
    // Copied: the rest of the chunk is not kept alive by a small tail.
    tail.push(Buffer.from(piece));
    tailBytes += piece.length;
  };

  for await (const chunk of input) {
    const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    let nl = b.indexOf(10, start);
    while (nl >= 0) {
      if (tooLongHead === undefined && tailBytes + (nl - start) > MAX_LINE_BYTES) {
        addTail(b.subarray(0, nl), start);
      }
      if (endLine(b, start, nl)) await cut();
      start = nl + 1;
      nl = b.indexOf(10, start);
    }
    addTail(b, start);
  }
  if (tailBytes > 0 || tooLongHead !== undefined) endLine(Buffer.alloc(0), 0, 0);
  await cut();
  while (inFlight.length > 0) await drainOne();
  return stats;
}
