/**
 * @module zip-archive
 * Safe reading of uploaded zips (WhatsApp "Include media" exports). The whole central directory is
 * checked before any member is read, so an unsafe archive is refused before anything is written:
 * path traversal, absolute paths, backslashes, symlinks, encrypted entries, too many entries, too many
 * bytes in total, and compression ratios that only a zip bomb has. While a member is read, yauzl checks
 * the actual size against the declared one, so a lying header cannot smuggle extra bytes.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { AppError } from "../../contract/errors.ts";

export interface ZipLimits {
  maxEntries: number;
  maxTotalUncompressedBytes: number;
  maxEntryUncompressedBytes: number;
  /** Highest uncompressed/compressed ratio accepted for entries above `ratioFloorBytes`. */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxTotalUncompressedBytes: 8 * 2 ** 30,
  maxEntryUncompressedBytes: 4 * 2 ** 30,
  // Chat text compresses about 4-8x and media hardly at all; 100x is far beyond any real export.
  maxCompressionRatio: 100,
  ratioFloorBytes: 1 << 20,
};

export interface ZipEntryInfo {
  path: string;
  compressedSize: number;
  uncompressedSize: number;
}

export interface OpenedZip {
  /** File entries (directories omitted), in central-directory order. */
  entries: ZipEntryInfo[];
  /** Opens a member for reading; may be called more than once per member. */
  openEntry(path: string): Promise<Readable>;
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function unsafe(reason: string): AppError {
  return new AppError("UNSAFE_ARCHIVE", { userMessage: `zip refused: ${reason}` });
}

/** Checks one entry's metadata; returns a reason to refuse or null. */
function refuseReason(e: yauzl.Entry, limits: ZipLimits): string | null {
  const name = e.fileName;
  if (name.includes("\0")) {
    return `entry name contains a NUL byte`;
  }
  if (name.includes("\\")) {
    return `entry name contains a backslash: ${JSON.stringify(name)}`;
  }
  if (/^([a-zA-Z]:|\/)/.test(name)) {
    return `absolute path: ${JSON.stringify(name)}`;
  }
  if (name.split("/").includes("..")) {
    return `path traversal: ${JSON.stringify(name)}`;
  }
  const unixMode = (e.externalFileAttributes >>> 16) & S_IFMT;
  if (unixMode === S_IFLNK) {
    return `symbolic link: ${JSON.stringify(name)}`;
  }
  if (e.isEncrypted()) {
    return `encrypted entry: ${JSON.stringify(name)}`;
  }
  if (e.uncompressedSize > limits.maxEntryUncompressedBytes) {
    return `entry ${JSON.stringify(name)} would expand to ${e.uncompressedSize} bytes (limit ${limits.maxEntryUncompressedBytes})`;
  }
  if (e.uncompressedSize > limits.ratioFloorBytes) {
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (ratio > limits.maxCompressionRatio) {
      return `entry ${JSON.stringify(name)} has a compression ratio of ${ratio.toFixed(0)}:1 (limit ${limits.maxCompressionRatio}:1), typical of a zip bomb`;
    }
  }
  return null;
}

function openZipFile(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true },
      (err, zf) => (err ? reject(err) : resolve(zf)),
    );
  });
}

/**
 * Opens and vets a zip.
 * @throws AppError UNSAFE_ARCHIVE when the archive breaks a safety rule, INVALID_INPUT when it is not a zip.
 */
export async function openZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<OpenedZip> {
  let zf: yauzl.ZipFile;
  try {
    zf = await openZipFile(path);
  } catch (e) {
    throw new AppError("INVALID_INPUT", {
      userMessage: `not a readable zip: ${(e as Error).message}`,
      cause: e,
    });
  }
  if (zf.entryCount > limits.maxEntries) {
    zf.close();
    throw unsafe(`${zf.entryCount} entries (limit ${limits.maxEntries})`);
  }
  const byPath = new Map<string, yauzl.Entry>();
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zf.on("entry", (e: yauzl.Entry) => {
        const reason = refuseReason(e, limits);
        if (reason) {
          return reject(unsafe(reason));
        }
        if (e.fileName.endsWith("/")) {
          return zf.readEntry();
        }
        if (byPath.has(e.fileName)) {
          return reject(unsafe(`duplicate entry name ${JSON.stringify(e.fileName)}`));
        }
        total += e.uncompressedSize;
        if (total > limits.maxTotalUncompressedBytes) {
          return reject(
            unsafe(`members would expand to more than ${limits.maxTotalUncompressedBytes} bytes in total`),
          );
        }
        byPath.set(e.fileName, e);
        entries.push({
          path: e.fileName,
          compressedSize: e.compressedSize,
          uncompressedSize: e.uncompressedSize,
        });
        zf.readEntry();
      });
      zf.on("end", () => resolve());
      // yauzl vets names itself before emitting an entry; say what its refusals mean in our words.
      zf.on("error", (err: Error) => {
        const m = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(
          err.message,
        );
        if (!m) {
          return reject(err);
        }
        const what =
          { "absolute path": "absolute path", "invalid relative path": "path traversal" }[m[1] ?? ""] ??
          "entry name contains a backslash";
        reject(unsafe(`${what}: ${JSON.stringify(m[2])}`));
      });
      zf.readEntry();
    });
  } catch (e) {
    zf.close();
    if (e instanceof AppError) {
      throw e;
    }
    throw new AppError("INVALID_INPUT", { userMessage: `damaged zip: ${(e as Error).message}`, cause: e });
  }
  return {
    entries,
    openEntry: (p) =>
      new Promise((resolve, reject) => {
        const e = byPath.get(p);
        if (!e) {
          return reject(
            new AppError("NOT_FOUND", { userMessage: `no member ${JSON.stringify(p)} in the zip` }),
          );
        }
        zf.openReadStream(e, (err, stream) => (err ? reject(err) : resolve(stream)));
      }),
    close: () => zf.close(),
  };
}

/** True when the file starts with a zip local-file or end-of-central-directory signature. */
export function looksLikeZip(firstBytes: Uint8Array): boolean {
  return (
    firstBytes.length >= 4 &&
    firstBytes[0] === 0x50 &&
    firstBytes[1] === 0x4b &&
    (firstBytes[2] === 3 || firstBytes[2] === 5)
  );
}
