/**
 * `upstander ingest <file> --case <ref> --scope "<statement>"`: stores the file byte for byte with its
 * acquisition record, parses it and stores the records. Prints the acquisition id and sha256.
 */
import { Command, Option } from "commander";
import { SingleBar } from "cli-progress";
import { AppError } from "../../contract/errors.ts";
import { DATE_ORDERS } from "../../domain/formats/chat-record.ts";
import { CHAT_FORMATS } from "../../domain/formats/registry.ts";
import { ACQUISITION_METHODS } from "../../storage/repositories/acquisition.repository.ts";
import { ingestExport } from "../../services/ingest-export.ts";
import { DEFAULT_ORG_ID, openRuntime } from "../../services/runtime.ts";
import { userInfo } from "node:os";

export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description(
      "store a chat export as evidence with its acquisition record, then parse it into the database",
    )
    .argument("<file>", "a WhatsApp export: .txt, or .zip with media")
    .requiredOption("--case <ref>", "case reference the evidence belongs to")
    .requiredOption(
      "--scope <statement>",
      "scope statement: which chat, which dates, why necessary and proportionate, who authorised it",
    )
    .addOption(new Option("--acquired-by <name>", "who acquired the file").env("UPSTANDER_ACQUIRED_BY"))
    .addOption(
      new Option("--method <method>", "how it was acquired").choices(ACQUISITION_METHODS).default("upload"),
    )
    .option("--scope-chat <name>", "the one chat in scope")
    .option("--scope-from <date>", "first date in scope (YYYY-MM-DD)")
    .option("--scope-to <date>", "last date in scope (YYYY-MM-DD)")
    .option("--authorised-by <name>", "who authorised the acquisition")
    .addOption(new Option("--date-order <order>", "override the inferred date order").choices(DATE_ORDERS))
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      '\nExample:\n  upstander ingest "WhatsApp Chat - Team.zip" --case PSD-2026-014 --scope "Team group, 1 Mar-30 Apr 2026, reported messages; authorised by DCI Shah" --acquired-by "DS Okafor"',
    )
    .action(async (file: string, o: Record<string, string | boolean | undefined>) => {
      const str = (k: string): string | undefined => (typeof o[k] === "string" ? o[k] : undefined);
      const date = (k: string): string | undefined => {
        const v = str(k);
        if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          throw new AppError("INVALID_INPUT", {
            userMessage: `--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())} must be YYYY-MM-DD`,
          });
        }
        return v;
      };
      const rt = await openRuntime();
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: "parsing [{bar}] {percentage}% | {records} records", hideCursor: true })
        : null;
      try {
        let started = false;
        const dateOrder = str("dateOrder");
        const result = await ingestExport(
          { db: rt.db, store: rt.store, formats: CHAT_FORMATS },
          {
            orgId: DEFAULT_ORG_ID,
            caseRef: str("case") ?? "",
            input: file,
            acquiredBy: str("acquiredBy") ?? userInfo().username,
            method: ACQUISITION_METHODS.find((m) => m === str("method")) ?? "upload",
            scope: {
              statement: str("scope") ?? "",
              chat: str("scopeChat"),
              dateFrom: date("scopeFrom"),
              dateTo: date("scopeTo"),
              authorisedBy: str("authorisedBy"),
            },
            dateOrder: DATE_ORDERS.find((d) => d === dateOrder),
            onProgress: (p) => {
              if (!bar || p.totalBytes < 5_000_000) {
                return;
              }
              if (!started) {
                bar.start(p.totalBytes, 0, { records: 0 });
                started = true;
              }
              bar.update(p.bytesRead, { records: p.records });
            },
          },
        );
        if (started) {
          bar?.stop();
        }
        const acq = result.acquisition;
        if (o.json) {
          process.stdout.write(
            JSON.stringify({
              acquisitionId: acq.id,
              sha256: acq.sha256,
              sizeBytes: acq.sizeBytes,
              status: result.ok ? "parsed" : "failed",
              ...(result.ok
                ? { exportId: result.parse.exportId, summary: result.parse.summary }
                : { error: reason(result.error) }),
            }) + "\n",
          );
        } else {
          process.stdout.write(`acquisition ${acq.id}\nsha256 ${acq.sha256}\nsize ${acq.sizeBytes} bytes\n`);
          if (result.ok) {
            const s = result.parse.summary;
            process.stdout.write(
              s
                ? `parsed ${s.recordCount} records (${s.messageCount} messages, ${s.systemCount} system events), ${result.parse.mediaStored} media files; date order ${s.dateOrder.order} (${s.dateOrder.status}); ${s.issues.length + s.issuesTruncated} issues\n`
                : "already parsed by this parser version\n",
            );
          }
        }
        if (!result.ok) {
          process.stderr.write(
            `upstander: the evidence is stored, but parsing failed: ${reason(result.error)}\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await rt.close();
      }
    });
}

function reason(e: unknown): string {
  return e instanceof AppError ? e.userMessage : e instanceof Error ? e.message : String(e);
}
