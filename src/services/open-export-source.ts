/**
 * @module open-export-source
 * Turns a path (a .txt export, or a .zip with media) into a re-readable byte source for the parsers,
 * plus the list of the other members of a zip. Zips are vetted by storage/archives before any member is
 * read. The chat text inside a zip is chosen by its content, not its name: iOS calls it `_chat.txt`,
 * Android uses localised names, and some zips hold an Android-format body under `_chat.txt`.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "../contract/errors.ts";
import type { ByteSource } from "../domain/formats/chat-format.ts";
import {
  DEFAULT_ZIP_LIMITS,
  looksLikeZip,
  openZip,
  type OpenedZip,
  type ZipLimits,
} from "../storage/archives/zip-archive.ts";

export interface ExportMember {
  /** Path inside the archive. */
  path: string;
  size: number;
}

export interface ExportSource {
  source: ByteSource;
  /** File name the title can be taken from (the zip's name for a zip, else the text file's). */
  titleHint: string;
  /** "zip" when the input was an archive. */
  container: "text" | "zip";
  /** Path of the chat text inside the zip (null for a plain text file). */
  chatMember: string | null;
  /** Members of a zip other than the chat text (media, contact cards); empty for a .txt. */
  media: ExportMember[];
  /** Opens a member of the zip (media) for reading; undefined for a plain text file. */
  openMember?: (path: string) => Promise<Readable>;
  close(): Promise<void>;
}

export interface OpenExportOptions {
  /** Scores a text sample (0..1) as a chat export; defaults to a format-neutral header heuristic. */
  recognise?: (sample: string) => number;
  zipLimits?: ZipLimits;
}

const SAMPLE_BYTES = 64 * 1024;

/** Opens a plain file as a ByteSource that streams it in 1 MiB chunks. */
export function fileByteSource(path: string, name = basename(path)): ByteSource {
  return { name, open: () => createReadStream(path, { highWaterMark: 1 << 20 }) };
}

/**
 * Share of the first non-empty lines that start like a timestamped chat line ("[1/2/24, 10:00:00]",
 * "01.02.24, 10:00 - ", "2024-02-01 10:00"): enough to tell a chat text from a readme or a vcard.
 */
export function chatLikeness(sample: string): number {
  const lines = sample
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/, ""))
    .filter((l) => l.trim() !== "")
    .slice(0, 60);
  if (lines.length === 0) {
    return 0;
  }
  const re = /^\[?\d{1,4}[./\- ]{1,2}\d{1,4}[./\- ]{1,2}\d{1,4}\.?[,\s]*(?:à|klo)?\s*\d{1,2}[:.]\d{2}/;
  return lines.filter((l) => re.test(l)).length / lines.length;
}

async function readHead(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    parts.push(b);
    n += b.length;
    if (n >= max) {
      break;
    }
  }
  stream.destroy();
  return Buffer.concat(parts).subarray(0, max);
}

async function pickChatMember(zip: OpenedZip, recognise: (s: string) => number): Promise<string | null> {
  let best: { path: string; score: number; size: number } | null = null;
  for (const e of zip.entries) {
    if (!/\.txt$/i.test(e.path) || basename(e.path).startsWith("._")) {
      continue;
    }
    const head = await readHead(await zip.openEntry(e.path), SAMPLE_BYTES);
    const score = recognise(head.toString("utf8"));
    // Ties go to the larger file: a short "readme.txt" cannot outrank the chat itself.
    if (
      score > 0 &&
      (!best || score > best.score || (score === best.score && e.uncompressedSize > best.size))
    ) {
      best = { path: e.path, score, size: e.uncompressedSize };
    }
  }
  return best?.path ?? null;
}

/**
 * @throws AppError NOT_FOUND (no such file), INVALID_INPUT (not a regular file, damaged zip),
 *   UNSAFE_ARCHIVE (a zip that breaks a safety rule), UNRECOGNISED_FORMAT (a zip with no chat text).
 */
export async function openExportSource(path: string, opts: OpenExportOptions = {}): Promise<ExportSource> {
  const st = await stat(path).catch(() => null);
  if (!st) {
    throw new AppError("NOT_FOUND", { userMessage: `no such file: ${path}` });
  }
  if (!st.isFile()) {
    throw new AppError("INVALID_INPUT", { userMessage: `not a regular file: ${path}` });
  }

  const fh = await open(path, "r");
  const head = Buffer.alloc(4);
  await fh.read(head, 0, 4, 0);
  await fh.close();

  if (!looksLikeZip(head)) {
    return {
      source: fileByteSource(path),
      titleHint: basename(path),
      container: "text",
      chatMember: null,
      media: [],
      close: async () => {},
    };
  }

  const zip = await openZip(path, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  try {
    const chat = await pickChatMember(zip, opts.recognise ?? chatLikeness);
    if (!chat) {
      throw new AppError("UNRECOGNISED_FORMAT", { userMessage: "the zip holds no chat export text file" });
    }
    return {
      source: { name: basename(chat), open: () => streamOf(zip, chat) },
      titleHint: basename(path),
      container: "zip",
      chatMember: chat,
      media: zip.entries
        .filter((e) => e.path !== chat)
        .map((e) => ({ path: e.path, size: e.uncompressedSize })),
      openMember: (p) => zip.openEntry(p),
      close: () => {
        zip.close();
        return Promise.resolve();
      },
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

async function* streamOf(zip: OpenedZip, member: string): AsyncIterable<Uint8Array> {
  const s = await zip.openEntry(member);
  for await (const chunk of s) {
    yield chunk as Uint8Array;
  }
}
