/** `upstander serve --role api|worker|all`: runs the HTTP API, the job worker, or both. */
import { Option, type Command } from "commander";
import { SERVER_ROLES, startServer, type ServerRole } from "../../server/main.ts";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the API and/or the job worker (configuration from the environment, see docs/API.md)")
    .addOption(
      new Option("--role <role>", "api, worker or all (all is the only choice on the embedded database)")
        .choices(SERVER_ROLES)
        .env("UPSTANDER_ROLE")
        .default("all"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  upstander serve                                   # api + worker on ./data (embedded)\n  DATABASE_URL=postgres://... UPSTANDER_SESSION_SECRET=... upstander serve --role api\n  DATABASE_URL=postgres://... upstander serve --role worker",
    )
    .action(async (o: { role: ServerRole }) => {
      const s = await startServer(o.role, process.env);
      process.stderr.write(`upstander: ${o.role} running${s.url ? ` on ${s.url}` : ""}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      process.stderr.write("upstander: stopping\n");
      await s.close();
    });
}
