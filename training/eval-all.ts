/**
 * @module eval-all
 * `npm run eval`: scores the shipped text models (models/, or --models <dir>) on data they never
 * trained on and prints macro-F1 and per-class F1:
 *   - EDOS dev (sexist / not sexist → our misogyny flag)
 *   - Guest et al. dev (15% of the train file's threads, split by hash of link_id)
 *   - team-chat held-out messages (per category, and overall macro-F1 over categories)
 *   - reply stance on the human-labelled validation_set.csv and the team-chat held-out replies
 * With --write, the table also replaces the `text-eval` section of docs/BENCHMARKS.md.
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { STANCES, TEXT_CATEGORIES } from "../src/contract/detection.ts";
import { createTextClassifierCore, type TextClassifierCore } from "../src/domain/detect/text-classifier.ts";
import { DEFAULT_MODELS_DIR, loadInferenceModels } from "../src/services/load-text-models.ts";
import { loadMessageExamples, loadReplyExamples, REPO_ROOT, type MessageExample } from "./lib/datasets.ts";
import { f1Report, type ClassReport } from "./lib/metrics.ts";

const fmt = (x: number): string => x.toFixed(3);

function flaggedOf(core: TextClassifierCore, e: MessageExample): Set<string> {
  const r = core.classify({ id: e.id, text: e.text });
  return new Set("error" in r ? [] : r.flagged);
}

function row(name: string, n: number, r: ClassReport, classes: readonly string[]): string {
  return `| ${name} | ${n} | **${fmt(r.macroF1)}** | ${classes.map((c) => `${c} ${fmt(r.f1[c] ?? 0)}`).join(", ")} |`;
}

/** Runs every evaluation; returns the Markdown body. */
export async function evaluate(modelsDir = DEFAULT_MODELS_DIR): Promise<string> {
  const models = await loadInferenceModels(modelsDir);
  const core = createTextClassifierCore(models);
  const messages = loadMessageExamples().filter((e) => e.part === "eval");
  const lines: string[] = [
    `Models: text-messages ${models.messageHeader.version} (sha256 ${models.messageHeader.sha256.slice(0, 12)}), text-stance ${models.stanceHeader.version} (sha256 ${models.stanceHeader.sha256.slice(0, 12)}). Thresholds: ${TEXT_CATEGORIES.map((c, j) => `${c} ${models.messageHeader.thresholds?.[j] ?? 0.5}`).join(", ")}.`,
    "",
    "| evaluation set | n | macro-F1 | per-class F1 |",
    "|---|---|---|---|",
  ];
  for (const [set, pos, neg] of [
    ["edos-dev", "sexist", "not sexist"],
    ["guest-dev", "misogynistic", "not misogynistic"],
  ] as const) {
    const xs = messages.filter((e) => e.evalSet === set);
    const gold = xs.map((e) => (e.labels.misogyny === 1 ? pos : neg));
    const pred = xs.map((e) => (flaggedOf(core, e).has("misogyny") ? pos : neg));
    lines.push(row(`${set} (misogyny flag)`, xs.length, f1Report(gold, pred, [pos, neg]), [pos, neg]));
  }
  const team = messages.filter((e) => e.evalSet === "teamchat-test");
  if (team.length > 0) {
    const flags = team.map((e) => flaggedOf(core, e));
    const perCat: Record<string, number> = {};
    for (const c of TEXT_CATEGORIES) {
      const gold = team.map((e) => (e.labels[c] === 1 ? c : "-"));
      const pred = flags.map((f) => (f.has(c) ? c : "-"));
      perCat[c] = f1Report(gold, pred, [c]).macroF1;
    }
    const overall = TEXT_CATEGORIES.reduce((s, c) => s + (perCat[c] ?? 0), 0) / TEXT_CATEGORIES.length;
    lines.push(
      `| teamchat-test messages (F1 of each category's flag; macro = mean) | ${team.length} | **${fmt(overall)}** | ${TEXT_CATEGORIES.map((c) => `${c} ${fmt(perCat[c] ?? 0)}`).join(", ")} |`,
    );
    const goldAny = team.map((e) => (TEXT_CATEGORIES.some((c) => e.labels[c] === 1) ? "flag" : "clean"));
    const predAny = flags.map((f) => (f.size > 0 ? "flag" : "clean"));
    lines.push(
      row(
        "teamchat-test messages (any flag vs clean)",
        team.length,
        f1Report(goldAny, predAny, ["flag", "clean"]),
        ["flag", "clean"],
      ),
    );
  }
  const replies = loadReplyExamples().filter((e) => e.part === "eval");
  for (const set of ["reply-validation", "teamchat-replies-test"]) {
    const xs = replies.filter((e) => e.evalSet === set);
    if (xs.length === 0) continue;
    const pred = xs.map((e) => {
      const r = core.classify({ id: e.id, text: e.reply, replyTo: e.parent });
      if ("error" in r || !r.stance) return "neutral";
      const s = r.stance;
      return STANCES.reduce((best, c) => (s[c] > s[best] ? c : best), "neutral" as (typeof STANCES)[number]);
    });
    lines.push(
      row(
        `${set} (stance)`,
        xs.length,
        f1Report(
          xs.map((e) => e.stance),
          pred,
          STANCES,
        ),
        STANCES,
      ),
    );
  }
  lines.push(
    "",
    "Aims from the issue: EDOS dev macro-F1 >= 0.85 (a TF-IDF word + char logistic regression trained on EDOS alone scores 0.74-0.75 on EDOS dev here, `training/tfidf-reference.ts`; about 0.77 on EDOS test, published), reply stance >= 0.65 on the validation set (whose labels are the reply's own category, hate speech / counter-speech / other, not its stance towards the parent; a TF-IDF reply-only reference scores 0.46-0.52 on it, models/text-stance.md), >= 0.90 on the team-chat held-out sets. None is met; see models/text-messages.md and models/text-stance.md for why and for the known failure modes.",
  );
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const args = process.argv.slice(2);
  const mIdx = args.indexOf("--models");
  const body = await evaluate(mIdx >= 0 ? args[mIdx + 1] : undefined);
  process.stdout.write(body + "\n");
  if (args.includes("--write")) {
    const docPath = join(REPO_ROOT, "docs/BENCHMARKS.md");
    let doc: string;
    try {
      doc = await readFile(docPath, "utf8");
    } catch {
      doc =
        "# Benchmarks\n\nWritten by `npm run bench` (bench/run.ts). Each section names its command and machine.\n";
    }
    const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`;
    const section = `<!-- bench:text-eval -->\n## Text detectors: quality on held-out data\n\nCommand: \`npm run eval -- --write\` (data: ../shared/data or $UPSTANDER_SHARED_DATA)  \nMachine: ${machine}  \nDate: ${new Date().toISOString().slice(0, 10)}\n\n${body}\n<!-- /bench:text-eval -->`;
    const re = /<!-- bench:text-eval -->[\s\S]*?<!-- \/bench:text-eval -->/;
    doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
    await writeFile(docPath, doc);
  }
}
