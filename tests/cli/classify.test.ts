import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ClassifyResultSchema } from "../../src/contract/detection.ts";

const BIN = fileURLToPath(new URL("../../bin/upstander.js", import.meta.url));
const ErrorLineSchema = z
  .object({ id: z.union([z.string(), z.number(), z.null()]), line: z.number(), error: z.string() })
  .strict();

function runClassify(
  input: Buffer,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "classify", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const line = (o: unknown): Buffer => Buffer.from(JSON.stringify(o) + "\n", "utf8");

describe("upstander classify (subprocess)", () => {
  it.each([
    ["worker threads", ["--threads", "1"]],
    ["main thread", ["--threads", "0"]],
  ])("answers every line in order, bad lines as per-line errors (%s)", async (_name, args) => {
    const input = Buffer.concat([
      line({ id: "a", text: "morning all, briefing at 10" }),
      Buffer.from("this is not json\n"),
      line({ id: "b" }),
      Buffer.concat([
        Buffer.from('{"id":"c","text":"bad bytes '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}\n'),
      ]),
      line({ id: "d", text: "   " }),
      line({ id: "e", text: "x".repeat(1_048_576) }),
      line({ id: 7, text: "😂😂", replyTo: "she's a right slag" }),
      Buffer.from("\n"),
      line({ id: "f", text: "last one" }),
    ]);
    const { code, stdout } = await runClassify(input, args);
    expect(code).toBe(0);
    const out = stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => o.id)).toEqual(["a", null, "b", "c", "d", "e", 7, "f"]);
    const errors = out.filter((o) => "error" in o);
    expect(errors.map((o) => ErrorLineSchema.parse(o).error)).toEqual([
      "invalid JSON",
      expect.stringContaining("text"),
      "invalid UTF-8",
      "empty text",
      expect.stringContaining("longer than"),
    ]);
    const ok = out.filter((o) => !("error" in o)).map((o) => ClassifyResultSchema.parse(o));
    expect(ok.map((r) => r.id)).toEqual(["a", 7, "f"]);
    expect(ok[0]?.stance).toBeUndefined();
    expect(ok[1]?.stance).toBeDefined();
  });

  it("keeps order across many batches", async () => {
    const n = 5000;
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(line({ id: i, text: i % 2 ? "cheers for the cover" : "she's a s l a g" }));
    }
    const { code, stdout } = await runClassify(Buffer.concat(parts), ["--threads", "2", "--quiet"]);
    expect(code).toBe(0);
    const ids = stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
