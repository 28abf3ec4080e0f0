/**
 * @module cli-classify-main
 * `upstander classify` alone: the entry point bin/upstander.js runs, as a cached JavaScript bundle
 * (services/classify-worker-bundle.ts), when the first argument is "classify". Without the tsx loader
 * the process needs about 35 MB less memory. What it registers and runs is exactly what main.ts does
 * for these arguments (tests/cli/classify-bundle.test.ts compares the two).
 */
import { registerClassifyCommand } from "./commands/classify.ts";
import { runProgram } from "./run-program.ts";

await runProgram(process.argv, (program) => registerClassifyCommand(program));
