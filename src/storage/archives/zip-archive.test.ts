import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeZip, markEncrypted, renameEntry } from "../../../tests/helpers/zip.ts";
import { DEFAULT_ZIP_LIMITS, openZip } from "./zip-archive.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zip-test-"));
});

async function file(name: string, data: Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, data);
  return p;
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s) {
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts).toString("utf8");
}

describe("openZip", () => {
  it("should list members and read them, more than once", async () => {
    const p = await file(
      "ok.zip",
      await makeZip([
        { name: "_chat.txt", data: "hello" },
        { name: "a/IMG-1.jpg", data: "x" },
      ]),
    );
    const z = await openZip(p);
    expect(z.entries.map((e) => e.path)).toEqual(["_chat.txt", "a/IMG-1.jpg"]);
    expect(await readAll(await z.openEntry("_chat.txt"))).toBe("hello");
    expect(await readAll(await z.openEntry("_chat.txt"))).toBe("hello");
    z.close();
  });

  it("should refuse path traversal", async () => {
    const zip = renameEntry(
      await makeZip([{ name: "aa/evil.txt", data: "x" }]),
      "aa/evil.txt",
      "../evil.txt",
    );
    await expect(openZip(await file("trav.zip", zip))).rejects.toMatchObject({ code: "UNSAFE_ARCHIVE" });
  });

  it("should refuse absolute paths", async () => {
    const zip = renameEntry(
      await makeZip([{ name: "xetc/passwd", data: "x" }]),
      "xetc/passwd",
      "/etc/passwd",
    );
    await expect(openZip(await file("abs.zip", zip))).rejects.toMatchObject({ code: "UNSAFE_ARCHIVE" });
  });

  it("should refuse symbolic links", async () => {
    const zip = await makeZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]);
    await expect(openZip(await file("sym.zip", zip))).rejects.toThrow(/symbolic link/);
  });

  it("should refuse encrypted entries", async () => {
    const zip = markEncrypted(await makeZip([{ name: "_chat.txt", data: "secret ".repeat(50) }]));
    await expect(openZip(await file("enc.zip", zip))).rejects.toThrow(/encrypted/);
  });

  it("should refuse a zip bomb by its compression ratio", async () => {
    const zip = await makeZip([{ name: "_chat.txt", data: Buffer.alloc(20 << 20) }]);
    await expect(openZip(await file("bomb.zip", zip))).rejects.toThrow(/compression ratio/);
  });

  it("should refuse too many entries and too many bytes in total", async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: "abc" }));
    const p = await file("many.zip", await makeZip(entries));
    await expect(openZip(p, { ...DEFAULT_ZIP_LIMITS, maxEntries: 5 })).rejects.toThrow(/6 entries/);
    await expect(openZip(p, { ...DEFAULT_ZIP_LIMITS, maxTotalUncompressedBytes: 10 })).rejects.toThrow(
      /in total/,
    );
  });

  it("should say clearly when the file is not a zip", async () => {
    await expect(openZip(await file("not.zip", Buffer.from("PK\u0003\u0004 garbage")))).rejects.toMatchObject(
      {
        code: "INVALID_INPUT",
      },
    );
  });
});
