import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const BIN = fileURLToPath(new URL("../../bin/upstander.js", import.meta.url));
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/exports/whatsapp/${name}`, import.meta.url));

function run(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
  });
}

const RecordLine = z.object({
  index: z.number(),
  line: z.number(),
  byteOffset: z.number(),
  byteLength: z.number(),
  kind: z.enum(["message", "system"]),
  systemType: z.string().nullable(),
  timestamp: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
  hasSeconds: z.boolean(),
  author: z.string().nullable(),
  text: z.string(),
  attachments: z.array(z.string()),
  deleted: z.boolean(),
  edited: z.boolean(),
  mediaOmitted: z.boolean(),
  viewOnce: z.boolean(),
  outOfOrder: z.boolean(),
  raw: z.string().optional(),
});

function ndjson(stdout: string) {
  return stdout
    .trimEnd()
    .split("\n")
    .map((l) => RecordLine.parse(JSON.parse(l)));
}

describe("upstander parse", () => {
  it("should write one JSON record per line in file order with --json", async () => {
    const { stdout, stderr, code } = await run(["parse", fixture("ios-en-us.txt"), "--json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const recs = ndjson(stdout);
    expect(recs).toHaveLength(23);
    expect(recs.map((r) => r.index)).toEqual(recs.map((_, i) => i));
    expect(recs[0]).toMatchObject({
      kind: "system",
      systemType: "encryption_notice",
      timestamp: "2020-12-27T18:51:14",
      line: 1,
    });
    expect(recs[5]).toMatchObject({
      kind: "message",
      author: "Mallory",
      attachments: ["00000012-PHOTO-2020-12-27-18-54-00.jpg"],
      text: "a caption on its own line",
      line: 6,
    });
    expect(recs.filter((r) => r.deleted)).toHaveLength(2);
    expect(recs.filter((r) => r.edited)).toHaveLength(1);
    expect(recs.filter((r) => r.mediaOmitted)).toHaveLength(2);
  });

  it("should keep hostile text as JSON-escaped data and include raw with --raw", async () => {
    const { stdout, code } = await run(["parse", fixture("hostile-html.txt"), "--json", "--raw"]);
    expect(code).toBe(0);
    const recs = ndjson(stdout);
    expect(recs[0]).toMatchObject({
      author: "<img src=x onerror=alert(1)>",
      text: '<script>alert("x")</script>',
    });
    expect(recs[0]?.raw).toBe(
      '13/03/2017, 00:45 - <img src=x onerror=alert(1)>: <script>alert("x")</script>',
    );
    expect(stdout.split("\n")).toHaveLength(3);
  });

  it("should print a human summary with participants, date order and issues", async () => {
    const { stdout, code } = await run(["parse", fixture("android-en-gb.txt")]);
    expect(code).toBe(0);
    expect(stdout).toContain('whatsapp (android), chat "Late Shift"');
    expect(stdout).toContain("records: 19 (14 messages, 5 system events)");
    expect(stdout).toContain("dates: 2017-03-06T00:45:00 to 2017-03-13T09:15:00");
    expect(stdout).toContain("date order: dmy (inferred): a first field of 13 on line 4");
    expect(stdout).toContain("out of order: 1");
    expect(stdout).toMatch(/participants: 4\n\s+5 {2}Mallory\n/);
    expect(stdout).toContain("line 21: header-like line with an impossible date");
  });

  it("should report an ambiguous date order and apply --date-order", async () => {
    const amb = await run(["parse", fixture("ambiguous.txt")]);
    expect(amb.stdout).toContain("date order: dmy (ambiguous; also possible: mdy)");
    const forced = await run(["parse", fixture("ambiguous.txt"), "--json", "--date-order", "mdy"]);
    expect(ndjson(forced.stdout).map((r) => r.timestamp)).toEqual([
      "2021-01-02T10:00:00",
      "2021-03-04T10:01:00",
      "2021-05-06T10:02:00",
    ]);
  });

  it("should exit 1 with one line on stderr for a file that is not a chat export", async () => {
    for (const name of ["not-a-chat.txt", "utf16le.txt", "binary.bin", "empty.txt"]) {
      const { stdout, stderr, code } = await run(["parse", fixture(name), "--json"]);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^upstander: .*not a chat export/);
    }
  });

  it("should exit 1 for a missing file and 2 for a bad option", async () => {
    const missing = await run(["parse", "/no/such/export.txt"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("upstander: no such file: /no/such/export.txt\n");
    const bad = await run(["parse", fixture("ambiguous.txt"), "--date-order", "dym"]);
    expect(bad.code).toBe(2);
  });
});
