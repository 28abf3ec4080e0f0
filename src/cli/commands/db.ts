/** `upstander db migrate|status`: apply migrations, or list applied and pending ones (drift is refused). */
import type { Command } from "commander";
import { loadRuntimeConfig } from "../../services/runtime.ts";
import { describeMigrations, runMigrations } from "../../services/manage-migrations.ts";

export function registerDbCommand(program: Command): void {
  const db = program.command("db").description("database administration (embedded PGlite, or DATABASE_URL)");
  db.command("migrate")
    .description("apply pending migrations")
    .action(async () => {
      const applied = await runMigrations(loadRuntimeConfig());
      process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "schema up to date\n");
    });
  db.command("status")
    .description("list migrations, applied and pending, without changing anything")
    .option("--json", "print as JSON")
    .action(async (o: { json?: boolean }) => {
      const list = await describeMigrations(loadRuntimeConfig());
      if (o.json) {
        process.stdout.write(JSON.stringify(list) + "\n");
        return;
      }
      for (const m of list) {
        process.stdout.write(`${m.state.padEnd(8)} ${m.name}\n`);
      }
      if (list.some((m) => m.state === "changed")) {
        process.exitCode = 1;
      }
    });
}
