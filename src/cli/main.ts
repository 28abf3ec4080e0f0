/**
 * @module cli
 * The `upstander` command. One file per command under commands/; each exports register<Name>Command.
 * Exit codes: 0 success, 1 failure (a one-line reason on stderr), 2 usage error.
 */
import { Command, CommanderError } from "commander";
import { isAppError } from "../contract/errors.ts";
import { registerDbCommand } from "./commands/db.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerLedgerCommand } from "./commands/ledger.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { registerUserCommand } from "./commands/user.ts";
import { registerVerifyCommand } from "./commands/verify.ts";
import { registerParseCommand } from "./commands/parse.ts";
import { registerClassifyImageCommand } from "./commands/classify-image.ts";
import { registerClassifyCommand } from "./commands/classify.ts";
import { registerAnalyseCommand } from "./commands/analyse.ts";
import { registerDemoCommand } from "./commands/demo.ts";

const program = new Command("upstander")
  .description("Record, investigate and act on concerns about misconduct in workplace group chats.")
  .showHelpAfterError()
  .exitOverride();

// Commands are registered here, one line each.
registerIngestCommand(program);
registerVerifyCommand(program);
registerLedgerCommand(program);
registerDbCommand(program);
registerServeCommand(program);
registerUserCommand(program);
registerParseCommand(program);
registerClassifyImageCommand(program);
registerClassifyCommand(program);
registerAnalyseCommand(program);
registerDemoCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (isAppError(e)) {
    process.stderr.write(`upstander: ${e.userMessage}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`upstander: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
