/**
 * @module whatsapp/parse
 * The WhatsApp "Export chat" format (FORMATS.md section 1) as a ChatFormat plugin. Two streaming passes
 * over the bytes: pass 1 (scan-shapes) learns the header shapes and the date order from the whole file,
 * pass 2 (record-assembler) reads records. Memory stays bounded by one chunk, one record and a batch.
 *
 * Decisions worth knowing (each explained where it is implemented):
 * - A header is a line of an accepted shape whose date and time are real; anything else continues the
 *   previous record, and a line of an accepted shape with an impossible date is also reported as an issue.
 * - No value above 12 anywhere: read day-first, status "ambiguous", month-first as the alternative.
 * - `text` is what the person wrote: the attachment line, deletion and omitted-media placeholders and the
 *   edited marker become flags instead; U+200E and U+FEFF are removed. `raw` keeps every byte's text.
 * - Trailing blank lines at the end of the file are not part of the last message; blank lines before
 *   the next header are (a message may end with an empty line).
 * - System events are recognised by text: author-less lines are always system events; a line with an
 *   author is one only for strong texts, or when its body starts with U+200E or its author is the group's
 *   name (from the file name or a creation/subject event).
 * - Title: the file name, else the last creation/subject event, else the author of the iOS notice.
 */
import { Buffer } from "node:buffer";
import type { ByteSource, ChatFormat, ParseOptions } from "../chat-format.ts";
import type { ChatRecord, ParseSummary } from "../chat-record.ts";
import { titleFromFileName } from "./chat-title.ts";
import { decideDateOrder, DateEvidence } from "./date-order.ts";
import { HeaderMatch, mayStartHeader, tokeniseHeader } from "./header.ts";
import { LineSplitter } from "./line-splitter.ts";
import { RecordAssembler } from "./record-assembler.ts";
import { describeShapes, scanShapes } from "./scan-shapes.ts";

/** Records per yielded batch. */
export const BATCH_SIZE = 2000;
const FEED_BYTES = 128 * 1024;

/**
 * Confidence that a text sample (the first KB of a file) is a WhatsApp export: high when header lines
 * with a real date appear near the top, zero when none appears.
 */
export function recogniseWhatsApp(sample: string): number {
  const bytes = Buffer.from(sample, "utf8");
  const m = new HeaderMatch();
  let headers = 0;
  let firstHeader = 0;
  let lines = 0;
  const ev = new DateEvidence();
  const splitter = new LineSplitter((buf, start, end, _o, lineNo) => {
    lines = lineNo;
    if (
      start < end &&
      mayStartHeader(buf[start]) &&
      tokeniseHeader(buf, start, end, m) &&
      ev.add(m, lineNo)
    ) {
      headers++;
      if (firstHeader === 0) firstHeader = lineNo;
    }
  });
  splitter.push(bytes);
  splitter.end();
  if (headers === 0) return 0;
  const density = Math.min(1, (headers * 4) / Math.max(1, lines));
  const early = firstHeader <= 5 ? 1 : firstHeader <= 50 ? 0.8 : 0.6;
  return Math.min(1, (0.6 + 0.4 * density) * early);
}

async function* parseWhatsApp(
  source: ByteSource,
  options: ParseOptions = {},
): AsyncGenerator<ChatRecord[], ParseSummary, undefined> {
  const scan = await scanShapes(source);
  const decision = decideDateOrder(scan.evidence, options.dateOrder);
  decision.evidence += `; header shape${scan.accepted.size > 1 ? "s" : ""}: ${describeShapes(scan)}`;
  const fileTitle = titleFromFileName(options.titleHint ?? source.name);
  const asm = new RecordAssembler({
    accepted: scan.accepted,
    decision,
    groupName: fileTitle,
    maxIssues: options.maxIssues ?? 1000,
  });
  const splitter = new LineSplitter(asm.onLine);
  for await (const chunk of source.open()) {
    // Fed in slices so a batch is handed on as soon as it is full: fewer records stay alive across
    // garbage collections than if a whole 1 MiB chunk's records waited for the consumer.
    for (let i = 0; i < chunk.length; i += FEED_BYTES) {
      splitter.push(chunk.subarray(i, Math.min(chunk.length, i + FEED_BYTES)));
      if (asm.out.length >= BATCH_SIZE) yield* drain(asm.out, false);
    }
  }
  splitter.end();
  asm.end();
  yield* drain(asm.out, true);
  return {
    format: "whatsapp",
    variant: scan.variant,
    chatTitle: fileTitle ?? asm.titleFromEvents ?? asm.attributedName,
    dateOrder: decision,
    recordCount: asm.recordCount,
    messageCount: asm.messageCount,
    systemCount: asm.systemCount,
    firstTimestamp: asm.firstTimestamp,
    lastTimestamp: asm.lastTimestamp,
    participants: [...asm.participants().keys()],
    outOfOrderCount: asm.outOfOrderCount,
    issues: asm.issues,
    issuesTruncated: asm.issuesTruncated,
  };
}

/** Yields full batches (and the remainder when `all`), emptying `out` in place. */
function* drain(out: ChatRecord[], all: boolean): Generator<ChatRecord[]> {
  let i = 0;
  while (out.length - i >= BATCH_SIZE) {
    yield out.slice(i, i + BATCH_SIZE);
    i += BATCH_SIZE;
  }
  if (all && i < out.length) {
    yield out.slice(i);
    i = out.length;
  }
  out.splice(0, i);
}

/** The WhatsApp format plugin. */
export const whatsappFormat: ChatFormat = {
  id: "whatsapp",
  recognise: recogniseWhatsApp,
  parse: parseWhatsApp,
};
