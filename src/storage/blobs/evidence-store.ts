/**
 * @module evidence-store
 * Content-addressed evidence files. A file is stored under its sha256 exactly once: written to a temp
 * file, fsynced, then renamed into place (rename is atomic on one filesystem) and made read-only. A file
 * is never modified afterwards. The store is a port: disk now, S3-compatible later (ROADMAP.md).
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";

export interface StoredBlob {
  sha256: string;
  size: number;
  /** True when the bytes were already in the store (nothing was written). */
  existed: boolean;
}

export interface BlobCheck {
  sha256: string;
  ok: boolean;
  /** Why the check failed: a different hash, or the file is unreadable/missing. */
  problem?: string;
}

export interface EvidenceStore {
  /** Streams `input` into the store; `maxBytes` bounds what is accepted. */
  put(input: Readable | AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  has(sha256: string): Promise<boolean>;
  /** Reads a stored file; `start`/`end` are inclusive byte positions like fs.createReadStream. */
  read(sha256: string, range?: { start: number; end?: number }): Readable;
  /** A local path for tools that need one (read-only). */
  localPath(sha256: string): string;
  size(sha256: string): Promise<number>;
  /** Re-hashes every stored file. */
  verifyAll(onEach?: (c: BlobCheck) => void): Promise<BlobCheck[]>;
}

const SHA_RE = /^[0-9a-f]{64}$/;

export class BlobTooLargeError extends Error {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`input exceeds ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

export function createDiskEvidenceStore(root: string): EvidenceStore {
  const objects = join(root, "sha256");
  const tmp = join(root, "tmp");
  const pathOf = (sha: string): string => {
    if (!SHA_RE.test(sha)) {
      throw new Error(`not a sha256: ${sha}`);
    }
    return join(objects, sha.slice(0, 2), sha.slice(2, 4), sha);
  };

  async function hashFile(path: string): Promise<string> {
    const h = createHash("sha256");
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      h.update(chunk as Buffer);
    }
    return h.digest("hex");
  }

  return {
    async put(input, opts = {}) {
      await mkdir(tmp, { recursive: true });
      const tmpPath = join(tmp, `${Date.now()}-${randomBytes(8).toString("hex")}.part`);
      const hash = createHash("sha256");
      let size = 0;
      const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > max) {
            return cb(new BlobTooLargeError(max));
          }
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(input, meter, createWriteStream(tmpPath, { flags: "wx" }));
        // fsync so a crash after rename cannot leave an entry whose bytes never reached the disk.
        const fh = await open(tmpPath, "r");
        await fh.sync();
        await fh.close();
        const sha256 = hash.digest("hex");
        const dest = pathOf(sha256);
        if (await stat(dest).catch(() => null)) {
          await rm(tmpPath, { force: true });
          return { sha256, size, existed: true };
        }
        await mkdir(join(dest, ".."), { recursive: true });
        await chmod(tmpPath, 0o444);
        await rename(tmpPath, dest);
        return { sha256, size, existed: false };
      } catch (e) {
        await rm(tmpPath, { force: true });
        throw e;
      }
    },
    async has(sha) {
      return (await stat(pathOf(sha)).catch(() => null)) !== null;
    },
    read(sha, range) {
      return createReadStream(pathOf(sha), { highWaterMark: 1 << 20, ...(range ?? {}) });
    },
    localPath: pathOf,
    async size(sha) {
      return (await stat(pathOf(sha))).size;
    },
    async verifyAll(onEach) {
      const results: BlobCheck[] = [];
      const level = async (dir: string): Promise<string[]> =>
        (await readdir(dir, { withFileTypes: true }).catch(() => [])).map((d) => d.name).sort();
      for (const a of await level(objects)) {
        for (const b of await level(join(objects, a))) {
          for (const name of await level(join(objects, a, b))) {
            const path = join(objects, a, b, name);
            let check: BlobCheck;
            if (!SHA_RE.test(name)) {
              check = { sha256: name, ok: false, problem: "unexpected file in the store" };
            } else {
              try {
                const actual = await hashFile(path);
                check =
                  actual === name
                    ? { sha256: name, ok: true }
                    : { sha256: name, ok: false, problem: `content hashes to ${actual}` };
              } catch (e) {
                check = { sha256: name, ok: false, problem: `unreadable: ${(e as Error).message}` };
              }
            }
            results.push(check);
            onEach?.(check);
          }
        }
      }
      return results;
    },
  };
}
