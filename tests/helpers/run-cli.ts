/** Runs the `upstander` CLI as a subprocess, as a script or another tool would. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/upstander.js", import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    // A variable set to undefined in `env` is removed, so a test can force the embedded engine.
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) {
        delete merged[k];
      }
    }
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"], env: merged });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input ?? "");
  });
}
