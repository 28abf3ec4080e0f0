/**
 * @module open-export-source
 * Turns a path given by a user (a .txt export or a .zip with media) into a re-readable byte source for
 * the parsers, plus what the archive holds. Zip support: see storage/archives (added with the evidence store).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { AppError } from "../contract/errors.ts";
import type { ByteSource } from "../domain/formats/chat-format.ts";

export interface ExportMember {
  /** Path inside the archive. */
  path: string;
  size: number;
  sha256: string;
}

export interface ExportSource {
  source: ByteSource;
  /** File name the title can be taken from (the zip's name for a zip, else the text file's). */
  titleHint: string;
  /** Members of a zip other than the chat text (media); empty for a .txt. */
  media: ExportMember[];
  close(): Promise<void>;
}

/** Opens a plain file as a ByteSource that streams it in 1 MiB chunks. */
export function fileByteSource(path: string, name = basename(path)): ByteSource {
  return {
    name,
    open: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

/**
 * @throws AppError NOT_FOUND when the path does not exist, INVALID_INPUT when it is not a regular file.
 */
export async function openExportSource(path: string): Promise<ExportSource> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new AppError("NOT_FOUND", { userMessage: `no such file: ${path}` });
  if (!st.isFile()) throw new AppError("INVALID_INPUT", { userMessage: `not a regular file: ${path}` });
  return {
    source: fileByteSource(path),
    titleHint: basename(path),
    media: [],
    close: async () => {},
  };
}
