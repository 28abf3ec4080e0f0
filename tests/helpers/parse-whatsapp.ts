/** Test helpers: run the WhatsApp parser over a fixture file or a Buffer split into chosen chunk sizes. */
import { readFileSync } from "node:fs";
import type { ByteSource, ParseOptions } from "../../src/domain/formats/chat-format.ts";
import type { ChatRecord, ParseSummary } from "../../src/domain/formats/chat-record.ts";
import { whatsappFormat } from "../../src/domain/formats/whatsapp/parse.ts";

export const FIXTURES = new URL("../fixtures/exports/whatsapp/", import.meta.url);

/** A ByteSource over bytes in memory, yielding chunks of `chunkSize` bytes. */
export function memorySource(bytes: Uint8Array, name = "chat.txt", chunkSize = 1 << 20): ByteSource {
  return {
    name,
    // eslint-disable-next-line @typescript-eslint/require-await -- an in-memory stream has nothing to await
    open: async function* () {
      for (let i = 0; i < bytes.length; i += chunkSize) {
        yield bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
      }
    },
  };
}

export async function parseSource(
  source: ByteSource,
  options?: ParseOptions,
): Promise<{ records: ChatRecord[]; summary: ParseSummary; batches: number }> {
  const gen = whatsappFormat.parse(source, options);
  const records: ChatRecord[] = [];
  let batches = 0;
  for (;;) {
    const r = await gen.next();
    if (r.done) {
      return { records, summary: r.value, batches };
    }
    batches++;
    records.push(...r.value);
  }
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function parseFixture(name: string, options?: ParseOptions, chunkSize?: number) {
  return parseSource(memorySource(fixtureBytes(name), name, chunkSize), options);
}
