/**
 * @module parse-export
 * Use case: open an export (.txt or .zip), find which chat format it is from a sample of its text, and
 * parse it as a stream of record batches whose return value is the summary.
 */
import { AppError } from "../contract/errors.ts";
import type { ByteSource, ChatFormat, ParseOptions } from "../domain/formats/chat-format.ts";
import type { ChatRecord, ParseSummary } from "../domain/formats/chat-record.ts";
import { CHAT_FORMATS } from "../domain/formats/registry.ts";
import { sniffEncoding } from "../domain/formats/sniff-encoding.ts";
import { openExportSource, type ExportSource } from "./open-export-source.ts";

/** Below this confidence no format claims the file. */
const MIN_CONFIDENCE = 0.3;
const SAMPLE_BYTES = 64 * 1024;

export interface ParsedExport {
  format: ChatFormat;
  exportSource: ExportSource;
  records: AsyncGenerator<ChatRecord[], ParseSummary, undefined>;
}

export interface ParseExportDeps {
  formats?: readonly ChatFormat[];
  open?: (path: string) => Promise<ExportSource>;
}

async function readSample(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of source.open()) {
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    n += chunk.byteLength;
    if (n >= SAMPLE_BYTES) break;
  }
  return Buffer.concat(parts).subarray(0, SAMPLE_BYTES);
}

/**
 * Chooses the format whose `recognise` is most confident about the source's first 64 KiB.
 * @throws AppError UNRECOGNISED_FORMAT with a one-line reason when no format claims it.
 */
export async function detectFormat(
  source: ByteSource,
  formats: readonly ChatFormat[] = CHAT_FORMATS,
): Promise<ChatFormat> {
  const sample = await readSample(source);
  if (sample.length === 0) {
    throw new AppError("UNRECOGNISED_FORMAT", {
      userMessage: `${source.name}: not a chat export: the file is empty`,
    });
  }
  const enc = sniffEncoding(sample);
  if (enc) {
    throw new AppError("UNRECOGNISED_FORMAT", { userMessage: `${source.name}: not a chat export: ${enc}` });
  }
  const text = sample.toString("utf8");
  let best: ChatFormat | null = null;
  let bestScore = 0;
  for (const f of formats) {
    const score = f.recognise(text);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  if (!best || bestScore < MIN_CONFIDENCE) {
    throw new AppError("UNRECOGNISED_FORMAT", {
      userMessage: `${source.name}: not a chat export this version can read (no message header found in its first ${sample.length} bytes)`,
    });
  }
  return best;
}

/**
 * Opens and parses an export. The caller iterates `records` and must call `exportSource.close()`.
 * @param path a .txt export or a .zip holding one
 * @throws AppError NOT_FOUND, INVALID_INPUT (from opening), UNRECOGNISED_FORMAT
 */
export async function parseExport(
  path: string,
  options: Omit<ParseOptions, "titleHint"> = {},
  deps: ParseExportDeps = {},
): Promise<ParsedExport> {
  const exportSource = await (deps.open ?? openExportSource)(path);
  try {
    const format = await detectFormat(exportSource.source, deps.formats ?? CHAT_FORMATS);
    const records = format.parse(exportSource.source, { ...options, titleHint: exportSource.titleHint });
    return { format, exportSource, records };
  } catch (e) {
    await exportSource.close();
    throw e;
  }
}
