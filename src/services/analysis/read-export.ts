/**
 * @module read-export
 * Reads an export for analysis: the file's SHA-256 and size, the parsed records and summary, and the
 * media members extracted to a working folder with their SHA-256 (the image classifier reads files).
 * Used until the evidence store's ingestExport is wired in; it never writes beside the original.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import type { ChatRecord, ParseSummary } from "../../domain/formats/chat-record.ts";
import { recogniseWhatsApp, whatsappFormat } from "../../domain/formats/whatsapp/parse.ts";
import { openExportSource } from "../open-export-source.ts";

export interface MediaFile {
  /** Path inside the zip. */
  member: string;
  /** Where it was extracted. */
  path: string;
  size: number;
  sha256: string;
}

export interface ReadExport {
  fileName: string;
  sha256: string;
  size: number;
  records: ChatRecord[];
  summary: ParseSummary;
  /** By base name, the way the chat text refers to attachments. */
  media: Map<string, MediaFile>;
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
  }
  return h.digest("hex");
}

/**
 * Reads the export. Media members are extracted while the chat text is parsed (both are known from the
 * zip's central directory), and `onMedia` is told of each one as soon as it is on disk, so a caller can
 * start classifying pictures before the parse has finished.
 * @param path the export (.txt or .zip)
 * @param workDir folder for extracted media (created if missing)
 * @throws AppError from openExportSource when the file cannot be opened or is not an export
 */
export async function readExport(
  path: string,
  workDir: string,
  onRecords?: (n: number, added: readonly ChatRecord[]) => void,
  onMedia?: (name: string, file: MediaFile) => void,
): Promise<ReadExport> {
  const [sha256, st] = await Promise.all([sha256File(path), stat(path)]);
  const src = await openExportSource(path, { recognise: recogniseWhatsApp });
  try {
    const parse = async () => {
      const records: ChatRecord[] = [];
      const gen = whatsappFormat.parse(src.source, { titleHint: src.titleHint });
      let step = await gen.next();
      while (!step.done) {
        for (const r of step.value) {
          records.push(r);
        }
        onRecords?.(records.length, step.value);
        step = await gen.next();
      }
      return { records, summary: step.value };
    };
    const extract = async () => {
      const media = new Map<string, MediaFile>();
      const open = src.openMember;
      if (!open || src.media.length === 0) {
        return media;
      }
      await mkdir(workDir, { recursive: true });
      let n = 0;
      for (const m of src.media) {
        const name = basename(m.path);
        if (media.has(name)) {
          continue;
        } // same base name twice: keep the first, the chat cannot tell them apart
        const dest = join(workDir, `${String(n++).padStart(6, "0")}-${name.replace(/[^\w.-]/g, "_")}`);
        const h = createHash("sha256");
        const hasher = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            h.update(chunk);
            cb(null, chunk);
          },
        });
        await pipeline(await open(m.path), hasher, createWriteStream(dest));
        const file = { member: m.path, path: dest, size: m.size, sha256: h.digest("hex") };
        media.set(name, file);
        onMedia?.(name, file);
      }
      return media;
    };
    // Both finish (or fail) before the zip is closed; the parse's error, if any, is the one reported.
    const [parsed, extracted] = await Promise.allSettled([parse(), extract()]);
    if (parsed.status === "rejected") {
      throw parsed.reason;
    }
    if (extracted.status === "rejected") {
      throw extracted.reason;
    }
    const { records, summary } = parsed.value;
    const media = extracted.value;
    return { fileName: basename(path), sha256, size: st.size, records, summary, media };
  } finally {
    await src.close();
  }
}
