/**
 * @module scan-shapes
 * Pass 1 over the export: tokenise every line that may start a header, count header shapes and collect
 * date evidence per shape, without decoding or keeping lines. The dominant shape(s) and the date order
 * are decided from the whole file before pass 2 reads a single record.
 */
import { AppError } from "../../../contract/errors.ts";
import type { ByteSource } from "../chat-format.ts";
import { sniffEncoding } from "../sniff-encoding.ts";
import { DateEvidence } from "./date-order.ts";
import { HeaderMatch, describeShape, mayStartHeader, shapeFamily, tokeniseHeader } from "./header.ts";
import { LineSplitter } from "./line-splitter.ts";

/** A file with no header within this many lines is not a WhatsApp export. */
export const PROBE_LINES = 1000;

export interface ShapeStats {
  shape: number;
  count: number;
  firstLine: number;
  evidence: DateEvidence;
}

export interface ScanResult {
  /** Shapes accepted as headers in pass 2. */
  accepted: Set<number>;
  /** Date evidence of the accepted shapes, merged. */
  evidence: DateEvidence;
  /** "android" or "ios", from the dominant shape's bracket. */
  variant: "android" | "ios";
  dominant: ShapeStats;
  shapes: ShapeStats[];
}

/**
 * Scans the whole source once.
 * @throws AppError UNRECOGNISED_FORMAT when the file is empty, UTF-16, binary, or has no header in its
 *   first PROBE_LINES lines.
 */
export async function scanShapes(source: ByteSource): Promise<ScanResult> {
  const stats = new Map<number, ShapeStats>();
  const m = new HeaderMatch();
  let lines = 0;
  let headers = 0;
  const splitter = new LineSplitter((buf, start, end, _off, lineNo) => {
    lines = lineNo;
    if (!mayStartHeader(buf[start]) || !tokeniseHeader(buf, start, end, m)) return;
    let s = stats.get(m.shape);
    if (!s) {
      s = { shape: m.shape, count: 0, firstLine: lineNo, evidence: new DateEvidence() };
      stats.set(m.shape, s);
    }
    if (s.evidence.add(m, lineNo)) {
      s.count++;
      headers++;
    }
  });
  let first = true;
  let total = 0;
  for await (const chunk of source.open()) {
    if (first && chunk.length > 0) {
      first = false;
      const enc = sniffEncoding(chunk);
      if (enc) {
        throw new AppError("UNRECOGNISED_FORMAT", {
          userMessage: `${source.name}: not a WhatsApp export: ${enc}`,
        });
      }
    }
    total += chunk.length;
    splitter.push(chunk);
    if (headers === 0 && lines > PROBE_LINES) break;
  }
  splitter.end();
  if (total === 0) {
    throw new AppError("UNRECOGNISED_FORMAT", {
      userMessage: `${source.name}: not a WhatsApp export: the file is empty`,
    });
  }
  if (headers === 0) {
    throw new AppError("UNRECOGNISED_FORMAT", {
      userMessage: `${source.name}: not a WhatsApp export: no message header (like "31/12/2022, 11:40 - " or "[31/12/2022, 11:40:26] ") in the first ${Math.min(lines, PROBE_LINES)} lines`,
    });
  }
  const shapes = [...stats.values()]
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || a.firstLine - b.firstLine);
  const dominant = shapes[0];
  if (!dominant) throw new AppError("INTERNAL", { userMessage: "header statistics are inconsistent" });
  const accepted = new Set<number>();
  const evidence = new DateEvidence();
  for (const s of shapes) {
    if (isAccepted(s, dominant)) {
      accepted.add(s.shape);
      evidence.merge(s.evidence);
    }
  }
  return { accepted, evidence, variant: (dominant.shape & 1) === 1 ? "ios" : "android", dominant, shapes };
}

/**
 * A shape is a header shape when it is the dominant one, shares its family (bracket and separator,
 * e.g. the year-first and day-first iOS lines of one file), or is common in its own right (at least 3
 * lines and 10% of the dominant count). A lone "2016-04-29 10:30:00 text" continuation line in a
 * "dd/mm/yyyy, HH:MM - " file is none of these.
 */
function isAccepted(s: ShapeStats, dominant: ShapeStats): boolean {
  if (s === dominant) return true;
  if (shapeFamily(s.shape) === shapeFamily(dominant.shape)) {
    // A bare space separator is too weak to trust a different shape on family alone.
    return ((s.shape >> 1) & 7) !== 4 || s.count >= 3;
  }
  return s.count >= 3 && s.count * 10 >= dominant.count;
}

/** Describes the accepted shapes for the summary, e.g. "[A-B-Y, HH:MM:SS then '] ' (812 lines)". */
export function describeShapes(scan: ScanResult): string {
  return scan.shapes
    .filter((s) => scan.accepted.has(s.shape))
    .map((s) => `${describeShape(s.shape)} (${s.count} lines)`)
    .join("; ");
}
