/**
 * @module cli-program
 * The `upstander` program and its command list. A command's module (and everything it imports:
 * PGlite, Fastify, TensorFlow...) is loaded only when that command runs: `upstander classify` used
 * to pay for every command's imports, about 150 MB of memory and seconds of start-up. For the
 * top-level help (or an unknown command), each command is registered as a stand-in with its name,
 * usage and description; src/cli/program.test.ts checks that the stand-ins' help is exactly the
 * real commands'.
 */
import { Help, type Command } from "commander";

type Register = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** What the top-level help shows before the description: the name, "[options]", the arguments. */
  term: string;
  description: string;
  /** Loads the command's module and returns its register function. */
  load(): Promise<Register>;
}

// Commands are listed here, one entry each, in the order the help shows them.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "ingest",
    term: "ingest [options] <file>",
    description:
      "store a chat export as evidence with its acquisition record, then parse it into the database",
    load: async () => (await import("./commands/ingest.ts")).registerIngestCommand,
  },
  {
    name: "verify",
    term: "verify [options]",
    description:
      "re-hash every evidence file and check every recorded hash is present; exit 1 on any mismatch",
    load: async () => (await import("./commands/verify.ts")).registerVerifyCommand,
  },
  {
    name: "ledger",
    term: "ledger",
    description: "the hash-chained ledger of every event",
    load: async () => (await import("./commands/ledger.ts")).registerLedgerCommand,
  },
  {
    name: "db",
    term: "db",
    description: "database administration (embedded PGlite, or DATABASE_URL)",
    load: async () => (await import("./commands/db.ts")).registerDbCommand,
  },
  {
    name: "serve",
    term: "serve [options]",
    description: "run the API and/or the job worker (configuration from the environment, see docs/API.md)",
    load: async () => (await import("./commands/serve.ts")).registerServeCommand,
  },
  {
    name: "user",
    term: "user",
    description: "manage accounts directly in the database (local administration)",
    load: async () => (await import("./commands/user.ts")).registerUserCommand,
  },
  {
    name: "parse",
    term: "parse [options] <file>",
    description: "Parse a chat export (WhatsApp .txt or .zip) and print a summary, or the records as NDJSON",
    load: async () => (await import("./commands/parse.ts")).registerParseCommand,
  },
  {
    name: "classify-image",
    term: "classify-image [options] <files...>",
    description:
      "Classify images as explicit, suggestive or neutral; count faces; perceptual hash; optional OCR. " +
      "Prints one JSON line per file, in argument order. Exit code 1 only when every file failed.",
    load: async () => (await import("./commands/classify-image.ts")).registerClassifyImageCommand,
  },
  {
    name: "classify",
    term: "classify [options]",
    description: "Classify chat messages (JSON lines on stdin) for misconduct categories and reply stance",
    load: async () => (await import("./commands/classify.ts")).registerClassifyCommand,
  },
  {
    name: "analyse",
    term: "analyse [options] <export>",
    description: "Analyse one chat export on this machine and write the evidence report",
    load: async () => (await import("./commands/analyse.ts")).registerAnalyseCommand,
  },
  {
    name: "demo",
    term: "demo [options]",
    description: "Analyse the bundled fictional demo export and write its report in the data directory",
    load: async () => (await import("./commands/demo.ts")).registerDemoCommand,
  },
];

export { createProgram } from "./run-program.ts";

/** Loads and registers every command (what the CLI did before commands were loaded lazily). */
export async function registerAllCommands(program: Command): Promise<void> {
  for (const c of COMMANDS) (await c.load())(program);
}

/** Registers every command as a stand-in that only names and describes it, for the top-level help. */
export function registerCommandStandIns(program: Command): void {
  const terms = new Map<string, string>();
  for (const c of COMMANDS) {
    // A stand-in must never run as if it were the command: that would be a silent success.
    program
      .command(c.name)
      .description(c.description)
      .action(() => {
        throw new Error(`internal error: the ${c.name} command was not loaded`);
      });
    terms.set(c.name, c.term);
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? help.subcommandTerm(cmd) });
}

/**
 * The command `args` (process.argv without node and the script) runs: the first argument, or the one
 * after "help". Undefined when that is not a command's name (an option, nothing, an unknown word).
 */
export function selectedCommand(args: readonly string[]): CommandEntry | undefined {
  // "upstander -- classify" runs classify, as commander does with every command registered.
  const rest = args[0] === "--" ? args.slice(1) : args;
  const name = rest[0] === "help" ? rest[1] : rest[0];
  return COMMANDS.find((c) => c.name === name);
}

/**
 * Registers what parsing `args` needs: only the selected command, loaded, when the arguments name
 * one; otherwise the stand-ins (for the top-level help and the "unknown command" error).
 */
export async function registerCommandsFor(program: Command, args: readonly string[]): Promise<void> {
  const selected = selectedCommand(args);
  if (selected) (await selected.load())(program);
  else registerCommandStandIns(program);
}
