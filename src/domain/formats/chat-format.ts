/**
 * @module chat-format
 * The interface every export format implements, so formats are plugins (one folder each under
 * src/domain/formats/). A format never does I/O itself: it is handed a re-readable byte source.
 */
import type { ChatRecord, DateOrder, ParseSummary } from "./chat-record.ts";

/** A source of bytes that can be read from the start more than once (parsers make two passes). */
export interface ByteSource {
  /** Name of the file as acquired; used for the chat title. */
  readonly name: string;
  open(): AsyncIterable<Uint8Array>;
}

export interface ParseOptions {
  /** Force the date order instead of inferring it. */
  dateOrder?: DateOrder;
  /** Chat title supplied by the caller (e.g. from a zip's file name). */
  titleHint?: string;
  /** Maximum issues kept in the summary; the rest are counted. */
  maxIssues?: number;
}

export interface ChatFormat {
  readonly id: string;
  /** Changes whenever parsing output changes, so stored parses record which parser made them. */
  readonly version?: string;
  /** Confidence in 0..1 that `sample` (the first few KB of a text file) is this format. */
  recognise(sample: string): number;
  /**
   * Parses the whole source, yielding records in file order. The generator's return value is the summary.
   * Malformed lines become issues in the summary, never exceptions; an exception means the input is not
   * this format at all (or I/O failed).
   */
  parse(source: ByteSource, options?: ParseOptions): AsyncGenerator<ChatRecord[], ParseSummary, undefined>;
}
