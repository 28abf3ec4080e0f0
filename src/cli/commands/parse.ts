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

/** Output is flushed in chunks of about this many characters. */
const FLUSH_AT = 1 << 20;

async function write(out: NodeJS.WritableStream, s: string): Promise<void> {
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
        let buf = "";
        let r = await parsed.records.next();
        while (!r.done) {
          for (const rec of r.value) {
            if (opts.json) {
              buf += recordToJson(rec, opts.raw === true) + "\n";
            } else if (rec.kind === "message" && rec.author !== null) {
              counts.set(rec.author, (counts.get(rec.author) ?? 0) + 1);
            }
          }
          if (buf.length >= FLUSH_AT) {
            await write(out, buf);
            buf = "";
          }
          r = await parsed.records.next();
        }
        if (buf.length > 0) await write(out, buf);
        if (!opts.json) await write(out, formatSummary(r.value, counts, file));
      } finally {
        await parsed.exportSource.close();
      }
    });
}
