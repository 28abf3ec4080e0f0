/** `upstander verify`: re-hashes every stored evidence file; non-zero exit on any mismatch. */
import type { Command } from "commander";
import { openRuntime } from "../../services/runtime.ts";
import { verifyEvidence } from "../../services/verify-evidence.ts";

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description(
      "re-hash every evidence file and check every recorded hash is present; exit 1 on any mismatch",
    )
    .option("--json", "print the result as JSON")
    .action(async (o: { json?: boolean }) => {
      const rt = await openRuntime();
      try {
        const r = await verifyEvidence({ db: rt.db, store: rt.store });
        if (o.json) {
          process.stdout.write(JSON.stringify(r) + "\n");
        } else {
          process.stdout.write(
            `${r.filesChecked} evidence files re-hashed, ${r.referencesChecked} recorded hashes checked\n`,
          );
          for (const p of r.problems) {
            process.stdout.write(`MISMATCH ${p.sha256}: ${p.problem}\n`);
          }
          process.stdout.write(
            r.problems.length === 0 ? "all evidence intact\n" : `${r.problems.length} problem(s) found\n`,
          );
        }
        if (r.problems.length > 0) {
          process.exitCode = 1;
        }
      } finally {
        await rt.close();
      }
    });
}
