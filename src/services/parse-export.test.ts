import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AppError } from "../contract/errors.ts";
import type { ChatFormat } from "../domain/formats/chat-format.ts";
import { parseExport } from "./parse-export.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../tests/fixtures/exports/whatsapp/${name}`, import.meta.url));

describe("parseExport", () => {
  it("should detect WhatsApp, pass the title hint and stream records to a summary", async () => {
    let closed = false;
    const parsed = await parseExport(
      fixture("android-de.txt"),
      {},
      {
        open: async (path) => {
          const { fileByteSource } = await import("./open-export-source.ts");
          return {
            source: fileByteSource(path),
            titleHint: "WhatsApp Chat mit Gruppe Nord.zip",
            container: "text" as const,
            chatMember: null,
            media: [],
            close: () => {
              closed = true;
              return Promise.resolve();
            },
          };
        },
      },
    );
    expect(parsed.format.id).toBe("whatsapp");
    let n = 0;
    let r = await parsed.records.next();
    while (!r.done) {
      n += r.value.length;
      r = await parsed.records.next();
    }
    expect(n).toBe(10);
    expect(r.value.chatTitle).toBe("Gruppe Nord");
    await parsed.exportSource.close();
    expect(closed).toBe(true);
  });

  it("should refuse a file no format recognises, closing the source", async () => {
    let closed = false;
    const never: ChatFormat = {
      id: "never",
      recognise: () => 0.1,
      parse: () => {
        throw new Error("not reached");
      },
    };
    const err: unknown = await parseExport(
      fixture("android-de.txt"),
      {},
      {
        formats: [never],
        open: async (path) => {
          const { fileByteSource } = await import("./open-export-source.ts");
          return {
            source: fileByteSource(path),
            titleHint: "x.txt",
            container: "text" as const,
            chatMember: null,
            media: [],
            close: () => {
              closed = true;
              return Promise.resolve();
            },
          };
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError ? err.code : "").toBe("UNRECOGNISED_FORMAT");
    expect(closed).toBe(true);
  });
});
