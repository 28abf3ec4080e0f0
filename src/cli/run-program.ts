/**
 * @module cli-run-program
 * The `upstander` program and how it runs: shared by main.ts (every command, through the tsx loader)
 * and classify-main.ts (the classify command alone, run from a bundle), so that both print the same
 * bytes and exit with the same codes.
 * Exit codes: 0 success, 1 failure (a one-line reason on stderr), 2 usage error.
 */
import { Command, CommanderError } from "commander";
import { isAppError } from "../contract/errors.ts";

/** The program with no commands yet. */
export function createProgram(): Command {
  return new Command("upstander")
    .description("Record, investigate and act on concerns about misconduct in workplace group chats.")
    .showHelpAfterError()
    .exitOverride();
}

/** Registers what `register` adds for `argv`'s arguments, then parses and runs them, setting the exit code. */
export async function runProgram(
  argv: readonly string[],
  register: (program: Command, args: readonly string[]) => void | Promise<void>,
): Promise<void> {
  try {
    const program = createProgram();
    await register(program, argv.slice(2));
    await program.parseAsync(argv);
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
}
