/**
 * @module line-splitter
 * Splits a stream of byte chunks into lines at LF (0x0A) without decoding, so each line's byte offset
 * and length in the original file are exact. A line that spans chunks is assembled once from its pieces
 * (never by repeated concatenation, which would be quadratic on a hostile single-line file).
 */
import { Buffer } from "node:buffer";

/** Lines longer than this are cut for decoding (their byte length stays exact); protects memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Receives one line: bytes `buf[start, end)` (LF excluded, CR kept), its absolute byte offset and
 * 1-based line number. `cut` is true when the line was longer than MAX_LINE_BYTES and only its start
 * is in `buf`; `fullLength` is then the real length.
 */
export type LineHandler = (
  buf: Buffer,
  start: number,
  end: number,
  byteOffset: number,
  lineNo: number,
  fullLength: number,
) => void;

export class LineSplitter {
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  private pendingLength = 0;
  private offset = 0;
  private lineNo = 0;
  /** True when the source ended with LF, i.e. there is no unterminated final line. */
  endedWithNewline = true;

  private readonly onLine: LineHandler;

  constructor(onLine: LineHandler) {
    this.onLine = onLine;
  }

  /** Feeds one chunk; calls the handler for every line it completes. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) return;
    let pos = 0;
    let nl = buf.indexOf(10, 0);
    if (this.pendingLength > 0 && nl >= 0) {
      this.addPiece(buf, 0, nl);
      this.flushPending();
      pos = nl + 1;
      nl = buf.indexOf(10, pos);
    }
    while (nl >= 0) {
      const len = nl - pos;
      this.lineNo++;
      this.onLine(buf, pos, len > MAX_LINE_BYTES ? pos + MAX_LINE_BYTES : nl, this.offset, this.lineNo, len);
      this.offset += len + 1;
      pos = nl + 1;
      nl = buf.indexOf(10, pos);
    }
    if (pos < buf.length) this.addPiece(buf, pos, buf.length);
    this.endedWithNewline = buf[buf.length - 1] === 10;
  }

  /** Flushes the final unterminated line, if any. */
  end(): void {
    if (this.pendingLength > 0) {
      const length = this.pendingLength;
      this.emitPending(length);
      this.offset += length;
    }
  }

  private addPiece(buf: Buffer, start: number, end: number): void {
    this.pendingLength += end - start;
    const room = MAX_LINE_BYTES - this.piecesBytes;
    if (room <= 0 || end === start) return;
    const take = Math.min(room, end - start);
    // Copy: the chunk buffer may be reused by the stream after we return.
    this.pieces.push(Buffer.from(buf.subarray(start, start + take)));
    this.piecesBytes += take;
  }

  private flushPending(): void {
    const length = this.pendingLength;
    this.emitPending(length);
    this.offset += length + 1;
  }

  private emitPending(length: number): void {
    const joined =
      this.pieces.length === 1 ? (this.pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(this.pieces);
    this.lineNo++;
    this.onLine(joined, 0, joined.length, this.offset, this.lineNo, length);
    this.pieces = [];
    this.piecesBytes = 0;
    this.pendingLength = 0;
  }
}
