/** Builds zips in memory for tests, including hostile ones that no honest zip tool would write. */
import yazl from "yazl";

export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  mode?: number;
  compress?: boolean;
}

export function makeZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, "utf8"), e.name, {
      ...(e.mode !== undefined ? { mode: e.mode } : {}),
      compress: e.compress ?? true,
      mtime: new Date(Date.UTC(2024, 0, 1)),
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => parts.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(parts)));
    zip.outputStream.on("error", reject);
  });
}

/** Replaces every occurrence of an entry name (same byte length) in local and central headers. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) {
    throw new Error("names must have the same byte length");
  }
  const out = Buffer.from(zip);
  let i = out.indexOf(a);
  while (i >= 0) {
    b.copy(out, i);
    i = out.indexOf(a, i + b.length);
  }
  return out;
}

/** Sets the "encrypted" flag (general purpose bit 0) on every local and central header. */
export function markEncrypted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) {
      out.writeUInt16LE(out.readUInt16LE(i + 6) | 1, i + 6);
    } else if (sig === 0x02014b50) {
      out.writeUInt16LE(out.readUInt16LE(i + 8) | 1, i + 8);
    }
  }
  return out;
}
