/**
 * @module cli/parse
 * `upstander parse <file.txt|file.zip> [--json] [--date-order dmy|mdy|ymd]`: parse a chat export.
 * --json writes NDJSON (one record per line, file order) to stdout; otherwise a human summary.
 */
import { once } from "node:events";
import { Command, Option } from "commander";
import { DATE_ORDERS, type DateOrder } from "../../domain/formats/chat-record.ts";
import { parseExport } from "../../services/parse-export.ts";
import { formatSummary, recordToJson } from "./parse-output.ts";

/** NDJSON is written in chunks of this many bytes. */
const CHUNK_BYTES = 1 << 20;

async function write(out: NodeJS.WritableStream, s: string | Uint8Array): Promise<void> {
  if (!out.write(s)) await once(out, "drain");
}

function isDateOrder(v: unknown): v is DateOrder {
  return typeof v === "string" && (DATE_ORDERS as readonly string[]).includes(v);
}

/** Registers `parse`. */
export function registerParseCommand(program: Command): void {
  program
    .command("parse")
    .description("Parse a chat export (WhatsApp .txt or .zip) and print a summary, or the records as NDJSON")
    .argument("<file>", "the export: a .txt file or a .zip holding one")
    .addOption(
      new Option("--json", "write one JSON object per record (NDJSON) to stdout").env("UPSTANDER_JSON"),
    )
    .addOption(new Option("--raw", "with --json: include each record's raw text").env("UPSTANDER_RAW"))
    .addOption(
      new Option("--date-order <order>", "read dates in this order instead of inferring it")
        .choices(DATE_ORDERS)
        .env("UPSTANDER_DATE_ORDER"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  upstander parse 'WhatsApp Chat with Team.txt'\n  upstander parse export.zip --json > records.ndjson\n",
    )
    .action(async (file: string, opts: { json?: boolean; raw?: boolean; dateOrder?: unknown }) => {
      const dateOrder = isDateOrder(opts.dateOrder) ? opts.dateOrder : undefined;
      const parsed = await parseExport(file, dateOrder ? { dateOrder } : {});
      const out = process.stdout;
      // A closed pipe (e.g. `| head`) ends the output quietly.
      out.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw e;
      });
      try {
        const counts = new Map<string, number>();
        // Records are encoded one by one into a byte chunk: one big concatenated string would cost a
        // flatten and a second copy when written (most of the CLI's time in a profile).
        let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        let pos = 0;
        let r = await parsed.records.next();
        while (!r.done) {
          for (const rec of r.value) {
            if (opts.json) {
              const line = recordToJson(rec, opts.raw === true) + "\n";
              if (pos + line.length * 3 > CHUNK_BYTES) {
                if (pos > 0) await write(out, chunk.subarray(0, pos));
                // The written chunk may still be queued by an asynchronous stream: never reuse it.
                chunk = Buffer.allocUnsafe(CHUNK_BYTES);
                pos = 0;
              }
              if (line.length * 3 > CHUNK_BYTES) await write(out, line);
              else pos += chunk.write(line, pos);
            } else if (rec.kind === "message" && rec.author !== null) {
              counts.set(rec.author, (counts.get(rec.author) ?? 0) + 1);
            }
          }
          r = await parsed.records.next();
        }
        if (pos > 0) await write(out, chunk.subarray(0, pos));
        if (!opts.json) await write(out, formatSummary(r.value, counts, file));
      } finally {
        await parsed.exportSource.close();
      }
    });
}
