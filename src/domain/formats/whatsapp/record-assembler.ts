/**
 * @module record-assembler
 * Pass 2: receives lines from the LineSplitter, decides header vs continuation with the file's accepted
 * shapes and date order, and assembles ChatRecords. Decoding happens here, one line at a time.
 */
import type { Buffer } from "node:buffer";
import type { ChatRecord, DateOrder, DateOrderDecision, ParseIssue } from "../chat-record.ts";
import { authorKeyOf, cleanAuthor } from "./author.ts";
import { classifyInto } from "./classify-body.ts";
import { lineOrder, resolveDate, ResolvedDate } from "./date-order.ts";
import { HeaderMatch, mayStartHeader, tokeniseHeader } from "./header.ts";
import { MAX_LINE_BYTES } from "./line-splitter.ts";
import { titleFromSystemText } from "./system-events.ts";
import { countChar, countReplacementBytes, stripCr } from "./utf8-bytes.ts";

/** Any invisible mark; a compiled character-class scan is cheaper than a JS loop over the bytes. */
const MARK = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** A record whose lines exceed this many bytes keeps only its start in raw/text (memory bound). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + String(i));

interface Pending {
  line: number;
  byteOffset: number;
  /** End (exclusive) of the last kept line, without its terminator. */
  end: number;
  timestamp: string;
  tsKey: number;
  hasSeconds: boolean;
  headerLine: string;
  restStartChar: number;
  /** Continuation lines as decoded, CR kept (raw). */
  cont: string[];
  /** How many of `cont` precede the trailing blank lines (for the end-of-file rule). */
  contNonBlank: number;
  endNonBlank: number;
  bytes: number;
  dateOrder: DateOrder | undefined;
  /** Whether any line of the record has an E2 or EF byte, the lead bytes of every invisible mark. */
  marks: boolean;
}

interface AuthorEntry {
  author: string;
  key: string;
  messages: number;
}

export interface AssemblerOptions {
  accepted: Set<number>;
  decision: DateOrderDecision;
  groupName: string | null;
  maxIssues: number;
}

export class RecordAssembler {
  readonly out: ChatRecord[] = [];
  readonly issues: ParseIssue[] = [];
  issuesTruncated = 0;
  recordCount = 0;
  messageCount = 0;
  systemCount = 0;
  outOfOrderCount = 0;
  firstTimestamp: string | null = null;
  lastTimestamp: string | null = null;
  /** Authors by their raw spelling, with message counts. */
  private readonly authors = new Map<string, AuthorEntry>();
  groupName: string | null;
  titleFromEvents: string | null = null;
  /** The author the end-to-end notice was attributed to (iOS), if any. */
  attributedName: string | null = null;
  private readonly m = new HeaderMatch();
  private readonly rd = new ResolvedDate();
  /** The record being assembled; one object reused for every record (fewer allocations per line). */
  private readonly pending: Pending = {
    line: 0,
    byteOffset: 0,
    end: 0,
    timestamp: "",
    tsKey: 0,
    hasSeconds: false,
    headerLine: "",
    restStartChar: 0,
    cont: [],
    contNonBlank: 0,
    endNonBlank: 0,
    bytes: 0,
    dateOrder: undefined,
    marks: false,
  };
  private cur: Pending | null = null;
  /** "HH:MM:SS" strings by second of the day, filled lazily. */
  private readonly times: (string | undefined)[] = new Array<string | undefined>(86400);
  private prevKey = -1;
  private lastDecided: DateOrder | null = null;
  private preambleLines = 0;
  private preambleIssue: ParseIssue | null = null;
  private lastDateKey = -1;
  private lastDateStr = "";

  private readonly opts: AssemblerOptions;

  constructor(opts: AssemblerOptions) {
    this.opts = opts;
    this.groupName = opts.groupName;
  }

  /** LineHandler for the splitter. */
  readonly onLine = (
    buf: Buffer,
    start: number,
    end: number,
    byteOffset: number,
    lineNo: number,
    fullLength: number,
  ): void => {
    if (fullLength > end - start) {
      this.issue(lineNo, `line of ${fullLength} bytes cut to ${MAX_LINE_BYTES} bytes in raw and text`);
    }
    const m = this.m;
    if (
      start < end &&
      mayStartHeader(buf[start]) &&
      tokeniseHeader(buf, start, end, m) &&
      this.opts.accepted.has(m.shape)
    ) {
      const order = this.orderFor(m);
      if (resolveDate(m, order, this.rd)) {
        this.startRecord(buf, start, end, byteOffset, lineNo, fullLength, order);
        return;
      }
      this.issue(
        lineNo,
        `header-like line with an impossible date (read ${order}); kept as a continuation line`,
      );
    }
    this.continuation(buf, start, end, byteOffset, lineNo, fullLength);
  };

  private orderFor(m: HeaderMatch): DateOrder {
    const d = this.opts.decision;
    if (d.status !== "mixed") return d.order;
    const own = lineOrder(m);
    if (own !== null && own !== "ymd") {
      this.lastDecided = own;
      return own;
    }
    return this.lastDecided ?? d.order;
  }

  private decode(buf: Buffer, start: number, end: number, lineNo: number): string {
    const s = buf.toString("utf8", start, end);
    if (s.indexOf("\ufffd") >= 0 && countReplacementBytes(buf, start, end) < countChar(s, 0xfffd)) {
      this.issue(lineNo, "invalid UTF-8 bytes replaced with U+FFFD");
    }
    return s;
  }

  private startRecord(
    buf: Buffer,
    start: number,
    end: number,
    byteOffset: number,
    lineNo: number,
    fullLength: number,
    order: DateOrder,
  ): void {
    if (this.cur) this.finish(this.cur, false);
    const m = this.m;
    const rd = this.rd;
    const line = this.decode(buf, start, end, lineNo);
    // The header is ASCII in most exports, so REST's char offset equals its byte offset.
    let ascii = true;
    for (let i = start; i < m.restStart; i++) {
      if ((buf[i] ?? 0) >= 0x80) {
        ascii = false;
        break;
      }
    }
    const restStartChar = ascii ? m.restStart - start : buf.toString("utf8", start, m.restStart).length;
    const dateKey = (rd.y * 13 + rd.mo) * 32 + rd.d;
    if (dateKey !== this.lastDateKey) {
      this.lastDateKey = dateKey;
      this.lastDateStr = `${rd.y}-${PAD2[rd.mo] ?? ""}-${PAD2[rd.d] ?? ""}T`;
    }
    const tod = rd.h * 3600 + m.minute * 60 + m.second;
    let time = this.times[tod];
    if (time === undefined) {
      time = `${PAD2[rd.h] ?? ""}:${PAD2[m.minute] ?? ""}:${PAD2[m.second] ?? ""}`;
      this.times[tod] = time;
    }
    const timestamp = this.lastDateStr + time;
    const lineEnd = byteOffset + fullLength - (buf[end - 1] === 0x0d ? 1 : 0);
    const p = this.pending;
    p.line = lineNo;
    p.byteOffset = byteOffset;
    p.end = lineEnd;
    p.timestamp = timestamp;
    p.tsKey = dateKey * 86400 + tod;
    p.hasSeconds = m.hasSeconds;
    p.headerLine = line;
    p.restStartChar = restStartChar;
    if (p.cont.length > 0) p.cont = [];
    p.contNonBlank = 0;
    p.endNonBlank = lineEnd;
    p.bytes = end - start;
    p.dateOrder = this.opts.decision.status === "mixed" ? order : undefined;
    p.marks = MARK.test(line);
    this.cur = p;
  }

  private continuation(
    buf: Buffer,
    start: number,
    end: number,
    byteOffset: number,
    lineNo: number,
    fullLength: number,
  ): void {
    const cur = this.cur;
    if (!cur) {
      if (this.preambleLines++ === 0) {
        this.preambleIssue = { line: lineNo, reason: "text before the first message header" };
        this.pushIssue(this.preambleIssue);
      }
      return;
    }
    const lineEnd = byteOffset + fullLength - (end > start && buf[end - 1] === 0x0d ? 1 : 0);
    cur.end = lineEnd;
    const blank = lineEnd === byteOffset;
    if (cur.bytes > MAX_RECORD_BYTES) {
      if (!blank) cur.endNonBlank = lineEnd;
      return;
    }
    cur.bytes += end - start;
    if (cur.bytes > MAX_RECORD_BYTES) {
      this.issue(lineNo, `record longer than ${MAX_RECORD_BYTES} bytes; raw and text keep its start only`);
    }
    const text = this.decode(buf, start, end, lineNo);
    cur.cont.push(text);
    if (!cur.marks) cur.marks = MARK.test(text);
    if (!blank) {
      cur.contNonBlank = cur.cont.length;
      cur.endNonBlank = lineEnd;
    }
  }

  /** Message counts per author (as written, marks removed), in order of first appearance. */
  participants(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.authors.values()) {
      if (e.messages > 0) out.set(e.author, (out.get(e.author) ?? 0) + e.messages);
    }
    return out;
  }

  /** Flushes the last record. Call once after the splitter has ended. */
  end(): void {
    if (this.cur) this.finish(this.cur, true);
    this.cur = null;
    if (this.preambleIssue && this.preambleLines > 1) {
      this.preambleIssue.reason = `text before the first message header (${this.preambleLines} lines, not part of any record)`;
    }
  }

  private finish(p: Pending, atEof: boolean): void {
    let cont = p.cont;
    let end = p.end;
    if (atEof && p.contNonBlank < cont.length) {
      // Trailing blank lines at end of file are the export's padding (WhatsR fixtures end with several),
      // not part of the last message's body.
      cont = cont.slice(0, p.contNonBlank);
      end = p.endNonBlank;
    }
    const header = p.headerLine;
    const headerNoCr = header.charCodeAt(header.length - 1) === 13 ? header.slice(0, -1) : header;
    const contNoCr = cont.length === 0 ? cont : cont.map(stripCr);
    let raw: string;
    if (cont.length === 0) raw = headerNoCr;
    else {
      const lastRaw = contNoCr[contNoCr.length - 1] ?? "";
      raw = header + "\n" + (cont.length > 1 ? cont.slice(0, -1).join("\n") + "\n" : "") + lastRaw;
    }
    const outOfOrder = p.tsKey < this.prevKey;
    this.prevKey = p.tsKey;
    if (outOfOrder) this.outOfOrderCount++;
    const rec: ChatRecord = {
      index: this.recordCount++,
      line: p.line,
      byteOffset: p.byteOffset,
      byteLength: end - p.byteOffset,
      raw,
      timestamp: p.timestamp,
      hasSeconds: p.hasSeconds,
      author: null,
      authorKey: null,
      kind: "message",
      systemType: null,
      text: "",
      attachments: [],
      deleted: false,
      edited: false,
      mediaOmitted: false,
      viewOnce: false,
      outOfOrder,
      location: null,
      poll: null,
      platformId: null,
      replyToIndex: null,
    };
    const rawAuthor = classifyInto(rec, headerNoCr.slice(p.restStartChar), contNoCr, this.groupName, p.marks);
    let who: AuthorEntry | undefined;
    if (rawAuthor !== null) {
      who = this.authors.get(rawAuthor);
      if (!who) {
        const a = cleanAuthor(rawAuthor);
        who = { author: a, key: authorKeyOf(a), messages: 0 };
        // Bounded: a hostile file with millions of distinct names must not grow this without limit.
        if (this.authors.size < 100_000) this.authors.set(rawAuthor, who);
      }
      rec.author = who.author;
      rec.authorKey = who.key;
    }
    if (rec.kind === "message") {
      this.messageCount++;
      if (who) who.messages++;
    } else {
      this.systemCount++;
      this.learnTitle(rec.systemType, rec.text, rec.author);
    }
    if (this.firstTimestamp === null) this.firstTimestamp = p.timestamp;
    this.lastTimestamp = p.timestamp;
    if (p.dateOrder !== undefined) rec.dateOrder = p.dateOrder;
    this.out.push(rec);
  }

  private learnTitle(type: string | null, text: string, author: string | null): void {
    if (type === "group_created" || type === "subject_changed") {
      const t = titleFromSystemText(text);
      if (t) {
        this.titleFromEvents = t;
        // Lines attributed to the group's current name may be system events (iOS).
        if (!this.opts.groupName) this.groupName = t;
      }
    }
    // iOS attributes the end-to-end notice to the group, or in a one-to-one chat to the contact, so
    // this name only serves as a title of last resort, never to classify that author's lines.
    if (author !== null && this.attributedName === null && type === "encryption_notice") {
      this.attributedName = author;
    }
  }

  private issue(line: number, reason: string): void {
    this.pushIssue({ line, reason });
  }

  private pushIssue(i: ParseIssue): void {
    if (this.issues.length < this.opts.maxIssues) this.issues.push(i);
    else this.issuesTruncated++;
  }
}
