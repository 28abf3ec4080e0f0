/**
 * @module report-parts
 * Sections of the HTML report about flagged items in context and the victims worklist.
 */
import type { AnalysisReport, ContextRecord, FlaggedItem } from "../../contract/analysis.ts";
import { escapeHtml, safeImageDataUri, text } from "./escape.ts";

/** Thumbnails by attachment file name: small data URIs made by the report service. */
export type Thumbnails = ReadonlyMap<string, string>;

const STANCE_LABEL = { challenge: "challenged", endorse: "endorsing", neutral: "no stance" } as const;

function thumb(file: string, thumbs: Thumbnails): string {
  const uri = thumbs.get(file);
  const safe = uri ? safeImageDataUri(uri) : null;
  if (!safe) {
    return `<span class="att">[attachment ${text(file)}${uri ? "" : " (not in the export or not a picture)"}]</span>`;
  }
  return `<button type="button" class="thumb" title="Blurred: click to reveal, click again to blur"><img alt="${escapeHtml(`attachment ${file}`)}" src="${safe}"></button><span class="att">${text(file)}</span>`;
}

/** One record as a table row; `mark` highlights the item and labels replies. */
export function recordRow(r: ContextRecord, thumbs: Thumbnails, mark: string, cls: string): string {
  const body = [
    r.text ? `<div class="msg">${text(r.text)}</div>` : "",
    ...r.attachments.map((a) => thumb(a, thumbs)),
  ].join("");
  return `<tr class="${cls}"><td class="idx"><a href="#r${r.index}">#${r.index}</a></td><td class="ts">${text(r.timestamp.replace("T", " "))}</td><td class="who">${r.kind === "system" ? "<i>system</i>" : text(r.author)}</td><td>${body}</td><td class="mark">${mark}</td></tr>`;
}

function itemSection(it: FlaggedItem, ctx: ReadonlyMap<number, ContextRecord>, thumbs: Thumbnails): string {
  const replies = new Map(it.replies.map((r) => [r.recordIndex, r]));
  const idx = new Set<number>();
  for (let i = it.recordIndex - 5; i <= it.recordIndex + 5; i++) {
    if (ctx.has(i)) {
      idx.add(i);
    }
  }
  for (const r of it.replies) {
    idx.add(r.recordIndex);
  }
  const rows = [...idx]
    .sort((a, b) => a - b)
    .map((i) => {
      const r = ctx.get(i);
      if (!r) {
        return "";
      }
      if (i === it.recordIndex) {
        return recordRow(r, thumbs, `<b>flagged</b>: ${escapeHtml(it.categories.join(", "))}`, "flagged");
      }
      const rep = replies.get(i);
      if (rep) {
        const sc = rep.stanceScores
          ? ` (${rep.stance === "neutral" ? "" : `${rep.stance} ${rep.stanceScores[rep.stance].toFixed(2)}, `}${rep.minutesAfter} min after)`
          : ` (${rep.minutesAfter} min after)`;
        return recordRow(
          r,
          thumbs,
          `${STANCE_LABEL[rep.stance]}${escapeHtml(sc)}${rep.quoted ? " quoted reply" : ""}`,
          `reply ${rep.stance}`,
        );
      }
      return recordRow(r, thumbs, "", "ctx");
    })
    .join("");
  const reasons = it.sources
    .map(
      (s) =>
        `<li>${escapeHtml(s.kind)}${s.fileName ? ` ${text(s.fileName)}` : ""}: ${escapeHtml(s.categories.join(", "))}${
          s.reasons.length > 0
            ? `; reasons: ${s.reasons
                .slice(0, 8)
                .map((r) => `${text(r.evidence)} (${escapeHtml(r.category)} ${r.weight.toFixed(2)})`)
                .join(", ")}`
            : ""
        }</li>`,
    )
    .join("");
  const amp = it.amplifies
    .map((a) => `<li><a href="#item-${a.recordIndex}">#${a.recordIndex}</a>: ${escapeHtml(a.reason)}</li>`)
    .join("");
  const silent = it.silent
    .map(
      (s) => `${text(s.participant)} (${s.recordIndices.map((i) => `<a href="#r${i}">#${i}</a>`).join(" ")})`,
    )
    .join(", ");
  return `<section class="item" id="item-${it.recordIndex}">
<h3>${escapeHtml(it.role)} · ${text(it.participant)} · ${text(it.timestamp.replace("T", " "))} · ${escapeHtml(it.categories.join(", "))}</h3>
<ul class="reasons">${reasons}${amp}</ul>
<table class="ctx">${rows}</table>
<p class="window">Window: up to ${escapeHtml(it.windowEnd.timestamp?.replace("T", " ") ?? "no later message")}. Active without challenging or endorsing: ${silent || "nobody"}. No activity in the window: ${it.absent.map((a) => text(a)).join(", ") || "nobody"}.${
    it.notMember.length > 0
      ? ` Not in the group at the time: ${it.notMember.map((a) => text(a)).join(", ")}.`
      : ""
  }</p>
</section>`;
}

/** Every flagged item with five records before and after, and its replies. */
export function itemsSection(report: AnalysisReport, thumbs: Thumbnails): string {
  const ctx = new Map(report.context.map((c) => [c.index, c]));
  const cs = report.conduct.counterSpeech;
  const note =
    cs.length > 0
      ? `<p class="note">Flagged by the text model but treated as challenges (counter-speech), not as flagged content: ${cs.map((c) => `<a href="#r${c.recordIndex}">#${c.recordIndex}</a> (challenging <a href="#item-${c.challenges}">#${c.challenges}</a>)`).join(", ")}.</p>`
      : "";
  if (report.conduct.items.length === 0) {
    return `<p>No item was flagged.</p>${note}`;
  }
  return note + report.conduct.items.map((it) => itemSection(it, ctx, thumbs)).join("\n");
}

/** The victims worklist: pictures of likely real people, and messages about a person. */
export function victimsSection(report: AnalysisReport, thumbs: Thumbnails): string {
  const { images, targeted } = report.conduct;
  const imgRows = images
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.id)}</td><td>${g.occurrences.map((o) => `${thumb(o.fileName, thumbs)} <a href="#r${o.recordIndex}">#${o.recordIndex}</a> ${text(o.participant)} ${text(o.timestamp.replace("T", " "))}`).join("<br>")}</td><td>${g.reasons.map((r) => escapeHtml(r)).join("<br>")}</td><td>${escapeHtml(g.victim.notificationDecision)}</td></tr>`,
    )
    .join("");
  const tRows = targeted
    .map(
      (t) =>
        `<tr><td><a href="#item-${t.recordIndex}">#${t.recordIndex}</a> (${escapeHtml(t.source)})</td><td>${text(t.participant)}</td><td>${t.reasons.map((r) => `${text(r.explanation)}`).join("<br>")}</td><td>${escapeHtml(t.victim.notificationDecision)}</td></tr>`,
    )
    .join("");
  return `<h3>Pictures likely showing a real person (${images.length} group(s))</h3>
${images.length > 0 ? `<table class="grid"><tr><th>group</th><th>occurrences</th><th>why listed</th><th>notification</th></tr>${imgRows}</table>` : "<p>None.</p>"}
<h3>Flagged messages that appear to be about a person (${targeted.length})</h3>
${targeted.length > 0 ? `<table class="grid"><tr><th>item</th><th>posted by</th><th>why listed</th><th>notification</th></tr>${tRows}</table>` : "<p>None.</p>"}
<p class="note">Identification and the notification decision are recorded in the victims track (restricted role); every entry starts as pending.</p>`;
}
