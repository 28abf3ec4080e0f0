/**
 * @module cli
 * The `upstander` command. One file per command under commands/; each exports register<Name>Command,
 * listed in program.ts, which loads only the command being run.
 * Exit codes: 0 success, 1 failure (a one-line reason on stderr), 2 usage error.
 */
import { CommanderError } from "commander";
import { isAppError } from "../contract/errors.ts";
import { createProgram, registerCommandsFor } from "./program.ts";

try {
  const program = createProgram();
  await registerCommandsFor(program, process.argv.slice(2));
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
