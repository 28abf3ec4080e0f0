/**
 * @module classify-jsonl-stream
 * Streams JSON lines through a text classifier with bounded memory: input is cut into batches of
 * lines, at most a few batches are in flight at once, and results are written strictly in input order.
 * Invalid UTF-8 and over-long lines are caught here, on the bytes, and become per-line errors.
 */
import { isUtf8 } from "node:buffer";
import { recoverId, type BatchOutput, type LineBatch } from "./classify-lines.ts";
import type { TextClassifier } from "./classify-texts.ts";

/** Lines longer than this (bytes) are refused; only their first bytes are kept, to recover the id. */
export const MAX_LINE_BYTES = 1_000_000;
const BATCH_LINES = 1000;
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
  write: (s: string) => Promise<void>,
): Promise<StreamStats> {
  const maxInFlight = Math.max(2, classifier.threads * 3);
  const inFlight: Promise<BatchOutput>[] = [];
  const stats: StreamStats = { lines: 0, errors: 0 };
  let lines: string[] = [];
  let bad: LineBatch["bad"] = [];
  let firstLine = 1;
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;

  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const batch: LineBatch = { payload: lines.join("\n"), bad, firstLine };
    lines = [];
    bad = [];
    inFlight.push(classifier.classifyLines(batch));
    while (inFlight.length >= maxInFlight) await drainOne();
  };
  const drainOne = async (): Promise<void> => {
    const head = inFlight.shift();
    if (!head) return;
    const out = await head;
    stats.errors += out.errors;
    await write(out.text);
  };
  const endLine = async (): Promise<void> => {
    lineNo++;
    const buf = pending.length === 1 ? (pending[0] ?? Buffer.alloc(0)) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const wasTooLong = tooLong;
    tooLong = false;
    if (!wasTooLong && isBlank(buf)) return;
    if (lines.length === 0) firstLine = lineNo;
    // Blank lines are skipped, so line numbers can jump inside a batch: keep batches contiguous.
    if (lines.length > 0 && firstLine + lines.length !== lineNo) {
      await flush();
      firstLine = lineNo;
    }
    stats.lines++;
    if (wasTooLong) {
      bad.push([lines.length, `line longer than ${MAX_LINE_BYTES} bytes`, recoverId(buf.toString("utf8"))]);
      lines.push("");
    } else if (!isUtf8(buf)) {
      bad.push([lines.length, "invalid UTF-8", recoverId(buf.subarray(0, ID_PREFIX_BYTES).toString("utf8"))]);
      lines.push("");
    } else {
      const s = buf.toString("utf8");
      // A line holding a raw "\n" is impossible here; "\r" from CRLF input is trimmed.
      lines.push(s.endsWith("\r") ? s.slice(0, -1) : s);
    }
    if (lines.length >= BATCH_LINES) await flush();
  };
  const append = (b: Buffer): void => {
    if (tooLong) return;
    if (pendingBytes + b.length > MAX_LINE_BYTES) {
      tooLong = true;
      // Keep only the start of the line, for the id.
      const head = Buffer.concat([...pending, b]).subarray(0, ID_PREFIX_BYTES);
      pending = [Buffer.from(head)];
      pendingBytes = head.length;
      return;
    }
    pending.push(b);
    pendingBytes += b.length;
  };

  for await (const chunk of input) {
    const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    let nl = b.indexOf(10, start);
    while (nl >= 0) {
      append(b.subarray(start, nl));
      await endLine();
      start = nl + 1;
      nl = b.indexOf(10, start);
    }
    if (start < b.length) append(Buffer.from(b.subarray(start)));
  }
  if (pendingBytes > 0 || tooLong) await endLine();
  await flush();
  while (inFlight.length > 0) await drainOne();
  return stats;
}

function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 32 && c !== 9 && c !== 13) return false;
  return true;
}
