/**
 * `upstander user create --email --name --role --password-stdin`: creates an account directly in the
 * database (the first administrator is made this way, see docs/API.md "First run").
 */
import { Option, type Command } from "commander";
import { ROLES, type Role } from "../../contract/api-common.ts";
import { CreateUserRequestSchema } from "../../contract/api-auth.ts";
import { AppError } from "../../contract/errors.ts";
import { createUser } from "../../services/create-user.ts";
import { argon2Hasher } from "../../services/password-hasher.ts";
import { DEFAULT_ORG_ID, openRuntime } from "../../services/runtime.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  }
  // Only the trailing newline an `echo` or a terminal adds is removed: a password may end in spaces.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function registerUserCommand(program: Command): void {
  const user = program
    .command("user")
    .description("manage accounts directly in the database (local administration)");
  user
    .command("create")
    .description("create an account")
    .requiredOption("--email <email>", "sign-in e-mail")
    .option("--name <name>", "display name (used for conflict matching)")
    .addOption(new Option("--role <role>", "role").choices(ROLES).makeOptionMandatory())
    .option("--phone <phone>", "phone number (used for conflict matching)")
    .option("--password-stdin", "read the password from standard input (omit for an OIDC-only account)")
    .option("--json", "print the created account as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  printf '%s' \"$ADMIN_PASSWORD\" | upstander user create --email admin@example.org --name 'Ada Admin' --role admin --password-stdin",
    )
    .action(
      async (o: {
        email: string;
        name?: string;
        role: Role;
        phone?: string;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        const parsed = CreateUserRequestSchema.safeParse({
          email: o.email,
          displayName: o.name ?? o.email,
          role: o.role,
          ...(o.passwordStdin ? { password: await readStdin() } : {}),
          ...(o.phone ? { phone: o.phone } : {}),
        });
        if (!parsed.success) {
          throw new AppError("INVALID_INPUT", {
            userMessage: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
          });
        }
        const rt = await openRuntime();
        try {
          const u = await createUser(
            { db: rt.db, hasher: argon2Hasher, clock: () => new Date() },
            DEFAULT_ORG_ID,
            parsed.data,
            "cli",
          );
          process.stdout.write(
            o.json ? JSON.stringify(u) + "\n" : `created ${u.role} ${u.email} (${u.id})\n`,
          );
        } finally {
          await rt.close();
        }
      },
    );
}
