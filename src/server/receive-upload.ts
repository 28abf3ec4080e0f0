/**
 * @module receive-upload
 * Streams a multipart upload's one file (field `file`) to a new file under `<data>/incoming/` named by a
 * random id, and collects the text fields (in any order). The client's file name is kept only as a label.
 * The caller ingests the file and then calls `discard()` (or keeps it for a queued job).
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError } from "../contract/errors.ts";

export interface ReceivedUpload<F> {
  path: string;
  label: string;
  mediaType: string;
  fields: F;
  discard(): Promise<void>;
}

/** The last path segment of a client-supplied name, without control characters, at most 255 characters. */
export function safeFileLabel(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? "";
  const clean = [...last]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join("")
    .trim()
    .slice(0, 255);
  return clean === "" || clean === "." || clean === ".." ? "upload" : clean;
}

/** @throws AppError INVALID_INPUT (not multipart, no file, two files, invalid fields), TOO_LARGE */
export async function receiveUpload<S extends z.ZodType>(
  req: FastifyRequest,
  dataDir: string,
  fieldsSchema: S,
): Promise<ReceivedUpload<z.infer<S>>> {
  if (!req.isMultipart()) {
    throw new AppError("INVALID_INPUT", { userMessage: "send multipart/form-data" });
  }
  const dir = join(dataDir, "incoming");
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const discard = () => rm(path, { force: true });
  const raw: Record<string, string> = {};
  let file: { label: string; mediaType: string } | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === "file") {
        if (part.fieldname !== "file" || file) {
          part.file.resume();
          throw new AppError("INVALID_INPUT", { userMessage: "send exactly one file, in the field 'file'" });
        }
        await pipeline(part.file, createWriteStream(path, { flags: "wx", mode: 0o600 }));
        file = {
          label: safeFileLabel(part.filename),
          mediaType: part.mimetype || "application/octet-stream",
        };
      } else {
        raw[part.fieldname] = typeof part.value === "string" ? part.value : String(part.value);
      }
    }
    if (!file) {
      throw new AppError("INVALID_INPUT", { userMessage: "no file: send it in the field 'file'" });
    }
    const f = fieldsSchema.safeParse(raw);
    if (!f.success) {
      throw new AppError("INVALID_INPUT", {
        userMessage: f.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      });
    }
    return { path, label: file.label, mediaType: file.mediaType, fields: f.data, discard };
  } catch (e) {
    await discard();
    throw e;
  }
}
