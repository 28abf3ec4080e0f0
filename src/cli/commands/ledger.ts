/** `upstander ledger verify`: re-computes the hash chain; exit 1 and the first broken entry if any. */
import type { Command } from "commander";
import { DEFAULT_ORG_ID, openRuntime } from "../../services/runtime.ts";
import { verifyLedger } from "../../services/verify-ledger.ts";

export function registerLedgerCommand(program: Command): void {
  const ledger = program.command("ledger").description("the hash-chained ledger of every event");
  ledger
    .command("verify")
    .description("re-compute every hash of the ledger; exit 1 naming the first broken entry")
    .option("--json", "print the result as JSON")
    .action(async (o: { json?: boolean }) => {
      const rt = await openRuntime();
      try {
        const r = await verifyLedger({ db: rt.db }, DEFAULT_ORG_ID);
        if (o.json) {
          process.stdout.write(JSON.stringify(r) + "\n");
        } else if (r.intact) {
          process.stdout.write(
            `ledger intact: ${r.entries} entries, last hash ${r.lastHash}; ${r.pending} pending\n`,
          );
        } else {
          process.stdout.write(
            `ledger BROKEN at entry ${r.firstBrokenSeq}: ${r.reason}; ${r.pending} pending\n`,
          );
        }
        if (!o.json && r.chainError !== undefined) {
          process.stderr.write(`ledger: pending events could not be chained: ${r.chainError}\n`);
        }
        if (!o.json && r.stalled) {
          process.stderr.write(
            `ledger: chain stalled, oldest pending event written ${Math.round(r.oldestPendingAgeS ?? 0)} s ago\n`,
          );
        }
        if (!r.intact) {
          process.exitCode = 1;
        }
      } finally {
        await rt.close();
      }
    });
}
