/**
 * @module cli
 * The `upstander` command. One file per command under commands/; each exports register<Name>Command,
 * listed in program.ts, which loads only the command being run. `upstander classify` normally runs
 * from a bundle of classify-main.ts instead (see bin/upstander.js), with the same output.
 * Exit codes: 0 success, 1 failure (a one-line reason on stderr), 2 usage error.
 */
import { registerCommandsFor } from "./program.ts";
import { runProgram } from "./run-program.ts";

await runProgram(process.argv, registerCommandsFor);
