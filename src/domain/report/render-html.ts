/**
 * @module render-html
 * The evidence report as one self-contained HTML file: no external assets, a Content-Security-Policy
 * that allows only our own inline style and script (by hash) and data: images, and every string from
 * the export escaped. Pictures are blurred until clicked.
 */
import { createHash } from "node:crypto";
import type { AnalysisReport, Participant, Role } from "../../contract/analysis.ts";
import { ROLES } from "../../contract/analysis.ts";
import { escapeHtml, text } from "./escape.ts";
import { itemsSection, victimsSection, type Thumbnails } from "./report-parts.ts";
import { timelineSvg } from "./timeline-svg.ts";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#111;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:2px solid #333;margin-top:2em}table{border-collapse:collapse}
.grid td,.grid th{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}
.ctx td{padding:2px 6px;vertical-align:top;border-bottom:1px solid #eee}.ctx .flagged{background:#fde2e2}
.reply.endorse{background:#fff3cd}.reply.challenge{background:#d4edda}.reply.neutral{background:#f4f4f4}
.idx,.ts{white-space:nowrap;color:#555;font-size:.9em}.who{white-space:nowrap;font-weight:600}.mark{font-size:.9em;color:#333}
.msg{white-space:pre-wrap;word-break:break-word}.item{border:1px solid #ccc;padding:.5em 1em;margin:1em 0}
.thumb{border:0;padding:0;background:none;cursor:pointer;display:inline-block;overflow:hidden}
.thumb img{filter:blur(14px);max-width:160px;max-height:160px}.thumb.revealed img{filter:none}
.att{font-size:.85em;color:#555;margin-left:.4em}.note{color:#555;font-size:.9em}.num{text-align:right}
.adverse{color:#8b0000}.favourable{color:#155724}code{word-break:break-all}`;

const SCRIPT = `document.addEventListener("click",function(e){var t=e.target;var b=t&&t.closest?t.closest(".thumb"):null;if(b){b.classList.toggle("revealed");}});`;

function sha(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("base64");
}

const ROLE_LABEL: Record<Role, string> = {
  originator: "originator",
  amplifier: "amplifier",
  endorser: "endorser",
  challenger: "challenger",
  silent_bystander: "active, no challenge",
  absent: "no activity in window",
};

function links(idx: readonly number[], max = 40): string {
  const shown = idx.slice(0, max).map((i) => `<a href="#r${i}">#${i}</a>`);
  return shown.join(" ") + (idx.length > max ? ` … (${idx.length - max} more, see JSON)` : "");
}

function matrix(ps: readonly Participant[]): string {
  const head = `<tr><th>participant</th><th>messages</th>${ROLES.map((r) => `<th>${escapeHtml(ROLE_LABEL[r])}</th>`).join("")}</tr>`;
  const rows = ps
    .map(
      (p, i) =>
        `<tr><td><a href="#p${i}">${text(p.name)}</a></td><td class="num">${p.messageCount}</td>${ROLES.map((r) => `<td class="num">${p.roles[r].count > 0 ? `<a href="#p${i}-${r}">${p.roles[r].count}</a>` : "0"}</td>`).join("")}</tr>`,
    )
    .join("");
  return `<table class="grid">${head}${rows}</table><p class="note">Counts are flagged items. "Active, no challenge": the person posted other messages in the item's window and no challenge by them appears in the export. Nothing here says anyone read or saw a message: exports have no read receipts.</p>`;
}

function participantSection(p: Participant, i: number): string {
  const roles = ROLES.filter((r) => p.roles[r].count > 0)
    .map((r) => {
      const ev = p.roles[r];
      const recs = r === "absent" ? "" : `; records ${links(ev.records)}`;
      return `<li id="p${i}-${r}"><b>${escapeHtml(ROLE_LABEL[r])}</b>: ${ev.count} item(s), first ${escapeHtml(ev.first?.replace("T", " ") ?? "-")}, last ${escapeHtml(ev.last?.replace("T", " ") ?? "-")}; items ${ev.items.map((x) => `<a href="#item-${x}">#${x}</a>`).join(" ")}${recs}</li>`;
    })
    .join("");
  const ch = p.challenges
    .map(
      (c) =>
        `<li><a href="#r${c.recordIndex}">#${c.recordIndex}</a> at ${escapeHtml(c.timestamp.replace("T", " "))}, ${c.minutesAfter} min after <a href="#item-${c.itemRecordIndex}">#${c.itemRecordIndex}</a> by ${text(c.to)}</li>`,
    )
    .join("");
  const mem = p.membership
    .map(
      (m) =>
        `<li>${escapeHtml(m.type.replace("member_", ""))} ${escapeHtml(m.timestamp.replace("T", " "))} (<a href="#r${m.recordIndex}">#${m.recordIndex}</a>)${m.by ? ` by ${text(m.by)}` : ""}</li>`,
    )
    .join("");
  const std = p.standards
    .map(
      (s) =>
        `<li class="${s.direction}">Standard ${escapeHtml(s.standard)} (${escapeHtml(s.title)}), ${s.direction === "adverse" ? "evidence relevant to" : "evidence in the person's favour relevant to"} it as ${escapeHtml(s.basis.join(", "))}: ${escapeHtml(s.rationale)}. Records ${links(s.records)}</li>`,
    )
    .join("");
  return `<section id="p${i}"><h3>${text(p.name)}</h3><p>${p.messageCount} message(s), first ${escapeHtml(p.firstActivity?.replace("T", " ") ?? "-")}, last ${escapeHtml(p.lastActivity?.replace("T", " ") ?? "-")}</p>
<ul>${roles || "<li>No role in any flagged item.</li>"}</ul>${ch ? `<p>Challenges:</p><ul>${ch}</ul>` : ""}${mem ? `<p>Membership events:</p><ul>${mem}</ul>` : ""}
${std ? `<p>Standards the evidence is relevant to (not a finding):</p><ul>${std}</ul>` : ""}</section>`;
}

function activityTable(r: AnalysisReport): string {
  const { weeks, activity } = r.conduct.timeline;
  const names = Object.keys(activity);
  return `<table class="grid"><tr><th>participant</th>${weeks.map((w) => `<th>${escapeHtml(w.slice(5))}</th>`).join("")}</tr>${names
    .map(
      (n) =>
        `<tr><td>${text(n)}</td>${weeks.map((w) => `<td class="num">${activity[n]?.[w] ?? ""}</td>`).join("")}</tr>`,
    )
    .join("")}</table>`;
}

function summary(r: AnalysisReport): string {
  const c = r.conduct;
  const byCat = new Map<string, number>();
  for (const it of c.items) {
    for (const k of it.categories) {
      byCat.set(k, (byCat.get(k) ?? 0) + 1);
    }
  }
  const count = (role: Role): number => c.participants.filter((p) => p.roles[role].count > 0).length;
  return `<ul><li>Chat: ${text(r.export.chatTitle ?? r.export.fileName)}; ${r.export.messageCount} messages, ${c.participants.length} participants who posted; from ${escapeHtml(r.export.firstTimestamp?.replace("T", " ") ?? "-")} to ${escapeHtml(r.export.lastTimestamp?.replace("T", " ") ?? "-")} (local time of the exporting phone).</li>
<li>Flagged items: ${c.items.length} (${[...byCat].map(([k, n]) => `${escapeHtml(k)} ${n}`).join(", ") || "none"}).</li>
<li>Participants who posted flagged content: ${count("originator") + count("amplifier") - c.participants.filter((p) => p.roles.originator.count > 0 && p.roles.amplifier.count > 0).length}; who endorsed: ${count("endorser")}; who challenged: ${count("challenger")}; active without challenging: ${count("silent_bystander")}.</li>
<li>Victims worklist: ${c.images.length} picture group(s), ${c.targeted.length} message(s) about a person.</li></ul>`;
}

/**
 * Renders the report.
 * @param thumbs small data-URI thumbnails by attachment file name (blurred on screen until clicked)
 */
export function renderHtml(r: AnalysisReport, thumbs: Thumbnails = new Map()): string {
  const csp = `default-src 'none'; img-src data:; style-src 'sha256-${sha(STYLE)}'; script-src 'sha256-${sha(SCRIPT)}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  const models = r.models
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.version)}</td><td>${escapeHtml(
          Object.entries(m.thresholds)
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        )}</td></tr>`,
    )
    .join("");
  const s = r.conduct.settings;
  const members = r.export.members
    .map(
      (m) =>
        `<tr><td>${text(m.path)}</td><td class="num">${m.size}</td><td><code>${escapeHtml(m.sha256)}</code></td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>Chat evidence report</title><style>${STYLE}</style></head><body>
<h1>Chat evidence report</h1>
<p>${text(r.export.chatTitle ?? r.export.fileName)} · case ${text(r.acquisition.caseRef ?? "not given")} · analysed ${escapeHtml(r.acquisition.analysedAt)}</p>
<p class="note">Automated analysis to support an investigator. It points to evidence "relevant to" standards; it makes no finding. Pictures are blurred: click one to reveal it.</p>
<h2>Summary</h2>${summary(r)}
<h2>Participants and roles</h2>${matrix(r.conduct.participants)}
${r.conduct.participants.map(participantSection).join("\n")}
<h2>Flagged items in context</h2>${itemsSection(r, thumbs)}
<h2>Victims worklist</h2>${victimsSection(r, thumbs)}
<h2>Timeline</h2>${timelineSvg(r.conduct.timeline)}<h3>Messages per participant per ISO week</h3>${activityTable(r)}
<h2>The export and its acquisition</h2>
<table class="grid"><tr><th>file</th><td>${text(r.export.fileName)}</td></tr><tr><th>SHA-256</th><td><code>${escapeHtml(r.export.sha256)}</code></td></tr><tr><th>size</th><td>${r.export.size} bytes</td></tr>
<tr><th>format</th><td>${escapeHtml(`${r.export.format} ${r.export.variant}`)}</td></tr><tr><th>date order</th><td>${text(r.export.dateOrder)}</td></tr>
<tr><th>records</th><td>${r.export.recordCount} (${r.export.messageCount} messages); ${r.export.issueCount} parse issue(s)</td></tr>
<tr><th>acquisition</th><td>${r.acquisition.acquisitionId ? `${text(r.acquisition.acquisitionId)}, stored ${escapeHtml(r.acquisition.acquiredAt ?? "")} by ${text(r.acquisition.acquiredBy)}` : "not stored in the evidence store by this run"}</td></tr>
<tr><th>case</th><td>${text(r.acquisition.caseRef ?? "not given")}</td></tr><tr><th>scope</th><td>${text(r.acquisition.scope ?? "not given")}</td></tr><tr><th>tool</th><td>${escapeHtml(r.acquisition.tool)}</td></tr></table>
${members ? `<h3>Media in the archive</h3><table class="grid"><tr><th>member</th><th>bytes</th><th>SHA-256</th></tr>${members}</table>` : ""}
<h2>Models, thresholds and settings</h2><table class="grid"><tr><th>model</th><th>version</th><th>thresholds</th></tr>${models}</table>
<p>Reply window: ${s.windowMinutes} minutes or ${s.windowMessages} messages, whichever ends first; stance thresholds: challenge ${s.challengeThreshold}, endorse ${s.endorseThreshold}; same picture when perceptual hashes differ by at most ${s.phashMaxDistance} bits; framework ${escapeHtml(s.framework)}.</p>
<h2>What an export cannot show</h2><ul>${r.limitations.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>
<h2>Record index</h2><p class="note">Every record cited above, by its position in the export (0-based).</p>
<table class="ctx">${r.context.map((c) => `<tr id="r${c.index}"><td class="idx">#${c.index}</td><td class="ts">${text(c.timestamp.replace("T", " "))}</td><td class="who">${c.kind === "system" ? "<i>system</i>" : text(c.author)}</td><td class="msg">${text(c.text)}${c.attachments.map((a) => ` <span class="att">[${text(a)}]</span>`).join("")}</td></tr>`).join("")}</table>
<script>${SCRIPT}</script>
</body></html>
`;
}
