/**
 * End to end: `upstander analyse` on the demo export with the shipped classifiers, as a subprocess.
 * Skipped when the text models are not present (they are trained artefacts: models/ or UPSTANDER_TEXT_MODELS).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AnalysisReportSchema, type AnalysisReport } from "../../src/contract/analysis.ts";
import { validateCaseUco } from "../../src/services/report/validate-case-uco.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const demo = join(root, "tests/fixtures/exports/demo/WhatsApp Chat - Response Team B.zip");
const models = process.env.UPSTANDER_TEXT_MODELS ?? join(root, "models");
const haveModels =
  existsSync(join(models, "text-messages.json")) && existsSync(join(models, "text-stance.json"));

let dir = "";
let stdout = "";
let report: AnalysisReport;

const person = (name: string) => {
  const p = report.conduct.participants.find((x) => x.name === name);
  if (!p) {
    throw new Error(`no participant ${name}`);
  }
  return p;
};
const textOf = (i: number): string => report.context.find((c) => c.index === i)?.text ?? "";

describe.skipIf(!haveModels)("upstander analyse on the demo export", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upstander-e2e-"));
    const out = await promisify(execFile)(
      process.execPath,
      [
        join(root, "bin/upstander.js"),
        "analyse",
        demo,
        "--out",
        join(dir, "r.html"),
        "--pdf",
        join(dir, "r.pdf"),
        "--json",
        join(dir, "a.json"),
        "--case-uco",
        join(dir, "b.jsonld"),
        "--case",
        "E2E-1",
        "--no-progress",
      ],
      { env: { ...process.env, UPSTANDER_TEXT_MODELS: models }, maxBuffer: 1 << 24 },
    );
    stdout = out.stdout;
    report = AnalysisReportSchema.parse(JSON.parse(await readFile(join(dir, "a.json"), "utf8")));
  }, 300_000);
  afterAll(async () => {
    if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("should print the SHA-256 of each file written and write it beside the file", async () => {
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      const [sha, path] = l.split("  ");
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      expect(await readFile(`${path}.sha256`, "utf8")).toContain(sha);
    }
  });

  it("should name Gary Holt as an originator of the sexualised remarks", () => {
    const items = person("Gary Holt").roles.originator.items.map(textOf);
    expect(items.some((t) => t.includes("new PC on C shift"))).toBe(true);
  });

  it("should find Priya Shah challenging Gary Holt and Ryan Cole, and say how soon", () => {
    const to = [...new Set(person("Priya Shah").challenges.map((c) => c.to))];
    expect(to).toEqual(expect.arrayContaining(["Gary Holt", "Ryan Cole"]));
    expect(person("Priya Shah").challenges.every((c) => c.minutesAfter > 0 && c.minutesAfter <= 30)).toBe(
      true,
    );
  });

  it("should find Lee Barker endorsing more than once", () => {
    expect(person("Lee Barker").roles.endorser.count).toBeGreaterThanOrEqual(3);
  });

  it("should find the sergeant active in windows without challenging", () => {
    expect(person("Dave Mercer").roles.silent_bystander.count).toBeGreaterThanOrEqual(2);
    expect(person("Dave Mercer").roles.challenger.count).toBe(0);
    expect(person("Dave Mercer").standards.map((s) => s.standard)).toContain("10");
  });

  it("should record who left and who was added, by whom", () => {
    expect(person("Karen Doyle").membership.map((m) => m.type)).toEqual(["member_left"]);
    expect(person("Jake Flynn").membership).toEqual([
      expect.objectContaining({ type: "member_added", by: "Dave Mercer" }),
    ]);
  });

  it("should treat the repost of the same meme as amplification", () => {
    const repost = report.conduct.items.find((i) =>
      i.amplifies.some((a) => a.reason.includes("reposted an image")),
    );
    expect(repost?.participant).toBe("Ryan Cole");
  });

  it("should put the remark about the new PC on the victims worklist with its reasons", () => {
    const t = report.conduct.targeted.find((x) => textOf(x.recordIndex).includes("new PC on C shift"));
    expect(t?.reasons.map((r) => r.kind)).toEqual(expect.arrayContaining(["description", "pronoun"]));
  });

  it("should write a CASE/UCO bundle that conforms to the shapes", async () => {
    const doc = z
      .record(z.string(), z.unknown())
      .parse(JSON.parse(await readFile(join(dir, "b.jsonld"), "utf8")));
    const v = await validateCaseUco(doc);
    expect(v.results).toEqual([]);
  });

  it("should write a PDF and an HTML report with a CSP", async () => {
    expect((await readFile(join(dir, "r.pdf"))).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(await readFile(join(dir, "r.html"), "utf8")).toContain('http-equiv="Content-Security-Policy"');
  });
});
