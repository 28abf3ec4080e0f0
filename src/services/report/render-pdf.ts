/**
 * @module render-pdf
 * The evidence report as PDF (pdfkit): the same sections as the HTML, pictures blurred in the pixels.
 * Uses DejaVu Sans when installed (wide Unicode coverage); otherwise Helvetica, which cannot draw most
 * non-Latin text, with a warning.
 */
import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import { ROLES, type AnalysisReport, type FlaggedItem } from "../../contract/analysis.ts";
import { showBidiControls } from "../../domain/report/escape.ts";

const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";

export interface PdfOptions {
  /** Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf; default the Debian location. */
  fontDir?: string;
  warn?: (msg: string) => void;
}

/** Text from the export, made safe to print: direction controls shown, control characters dropped. */
function clean(s: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  return showBidiControls(s ?? "").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

function t(ts: string | null): string {
  return ts ? ts.replace("T", " ") : "-";
}

/**
 * Renders the report to a PDF buffer.
 * @param thumbs blurred JPEG thumbnails by attachment file name
 */
export async function renderPdf(
  r: AnalysisReport,
  thumbs: ReadonlyMap<string, Buffer>,
  opts: PdfOptions = {},
): Promise<Buffer> {
  const dir = opts.fontDir ?? DEJAVU_DIR;
  const regular = `${dir}/DejaVuSans.ttf`;
  const bold = `${dir}/DejaVuSans-Bold.ttf`;
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    bufferPages: true,
    info: {
      Title: "Chat evidence report",
      Creator: r.acquisition.tool,
      CreationDate: new Date(r.acquisition.analysedAt),
    },
  });
  let body = "Helvetica";
  let heavy = "Helvetica-Bold";
  if (existsSync(regular) && existsSync(bold)) {
    doc.registerFont("body", regular);
    doc.registerFont("bold", bold);
    body = "body";
    heavy = "bold";
  } else {
    (opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(
      `warning: DejaVu fonts not found in ${dir}; the PDF uses Helvetica and cannot show most non-Latin characters or emoji (apt-get install fonts-dejavu-core)`,
    );
  }
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res, rej) => {
    doc.on("end", () => res(Buffer.concat(chunks)));
    doc.on("error", rej);
  });

  const h1 = (s: string): void => void doc.font(heavy).fontSize(18).text(s).moveDown(0.4);
  const h2 = (s: string): void => {
    if (doc.y > 700) {
      doc.addPage();
    }
    doc.moveDown(0.6).font(heavy).fontSize(13).text(s).moveDown(0.2);
  };
  const p = (s: string, size = 9.5): void => void doc.font(body).fontSize(size).text(s, { lineGap: 1 });
  const c = r.conduct;

  h1("Chat evidence report");
  p(
    `${clean(r.export.chatTitle ?? r.export.fileName)} · case ${clean(r.acquisition.caseRef ?? "not given")} · analysed ${r.acquisition.analysedAt}`,
  );
  p(
    "Automated analysis to support an investigator. It points to evidence relevant to standards; it makes no finding. Pictures are blurred.",
    8.5,
  );

  h2("Summary");
  p(
    `${r.export.messageCount} messages, ${c.participants.length} participants who posted, ${t(r.export.firstTimestamp)} to ${t(r.export.lastTimestamp)} (local time of the exporting phone).`,
  );
  p(
    `Flagged items: ${c.items.length}. Victims worklist: ${c.images.length} picture group(s), ${c.targeted.length} message(s) about a person.`,
  );

  h2("Participants and roles (counts of flagged items)");
  p(`columns: ${ROLES.join(", ")}`, 8);
  for (const x of c.participants) {
    p(`${clean(x.name)} (${x.messageCount} msgs): ${ROLES.map((role) => x.roles[role].count).join(" / ")}`);
  }

  for (const x of c.participants) {
    h2(clean(x.name));
    for (const role of ROLES) {
      const ev = x.roles[role];
      if (ev.count === 0) {
        continue;
      }
      p(
        `${role.replace("_", " ")}: ${ev.count} item(s), ${t(ev.first)} to ${t(ev.last)}; items #${ev.items.join(" #")}${ev.records.length > 0 ? `; records #${ev.records.slice(0, 40).join(" #")}` : ""}`,
      );
    }
    for (const ch of x.challenges) {
      p(
        `challenged #${ch.itemRecordIndex} by ${clean(ch.to)} at ${t(ch.timestamp)} (${ch.minutesAfter} min after), record #${ch.recordIndex}`,
      );
    }
    for (const m of x.membership) {
      p(
        `${m.type.replace("member_", "")} ${t(m.timestamp)} (#${m.recordIndex})${m.by ? ` by ${clean(m.by)}` : ""}`,
      );
    }
    for (const s of x.standards) {
      p(
        `Standard ${s.standard} (${s.title}): ${s.direction === "adverse" ? "evidence relevant to" : "evidence in the person's favour relevant to"} it as ${s.basis.join(", ")}; ${s.rationale}. Records #${s.records.slice(0, 40).join(" #")}`,
      );
    }
  }

  h2("Flagged items in context");
  const ctx = new Map(r.context.map((x) => [x.index, x]));
  if (c.counterSpeech.length > 0) {
    p(
      `Flagged by the text model but treated as challenges (counter-speech): ${c.counterSpeech.map((x) => `#${x.recordIndex} (challenging #${x.challenges})`).join(", ")}.`,
      8.5,
    );
  }
  for (const it of c.items) {
    itemBlock(doc, it, ctx, thumbs, { p, heavy, body });
  }

  h2("Victims worklist");
  for (const g of c.images) {
    p(
      `${g.id}: ${g.occurrences.map((o) => `#${o.recordIndex} ${clean(o.fileName)} by ${clean(o.participant)}`).join("; ")}. ${g.reasons.join(" ")} Notification: ${g.victim.notificationDecision}.`,
    );
  }
  for (const m of c.targeted) {
    p(
      `#${m.recordIndex} (${m.source}) by ${clean(m.participant)}: ${m.reasons.map((x) => clean(x.explanation)).join("; ")}. Notification: ${m.victim.notificationDecision}.`,
    );
  }
  if (c.images.length + c.targeted.length === 0) {
    p("None.");
  }

  h2("Timeline: flagged items per ISO week");
  const weeks = c.timeline.weeks;
  const max = Math.max(
    1,
    ...weeks.map((w) => Object.values(c.timeline.flagged[w] ?? {}).reduce((a, b) => a + b, 0)),
  );
  for (const w of weeks) {
    const n = Object.values(c.timeline.flagged[w] ?? {}).reduce((a, b) => a + b, 0);
    const y = doc.y;
    doc.font(body).fontSize(8).text(w, 48, y, { width: 60 });
    if (n > 0) {
      doc
        .rect(110, y + 1, (n / max) * 300, 7)
        .fill("#c0392b")
        .fillColor("#000");
    }
    doc.text(
      n > 0
        ? `${n}: ${Object.entries(c.timeline.flagged[w] ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`
        : "",
      420,
      y,
      { width: 130 },
    );
    doc.x = 48;
  }

  h2("The export and its acquisition");
  p(
    `File: ${clean(r.export.fileName)}\nSHA-256: ${r.export.sha256}\nSize: ${r.export.size} bytes\nFormat: ${r.export.format} ${r.export.variant}; date order ${clean(r.export.dateOrder)}\nRecords: ${r.export.recordCount}; parse issues: ${r.export.issueCount}\nAcquisition: ${r.acquisition.acquisitionId ? `${clean(r.acquisition.acquisitionId)}, stored ${r.acquisition.acquiredAt ?? ""} by ${clean(r.acquisition.acquiredBy)}` : "not stored in the evidence store by this run"}\nCase: ${clean(r.acquisition.caseRef ?? "not given")}; scope: ${clean(r.acquisition.scope ?? "not given")}; tool: ${r.acquisition.tool}`,
  );
  for (const m of r.export.members) {
    p(`${clean(m.path)}  ${m.size} bytes  ${m.sha256}`, 7.5);
  }

  h2("Models, thresholds and settings");
  for (const m of r.models) {
    p(
      `${m.name} ${m.version}: ${Object.entries(m.thresholds)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }
  const s = c.settings;
  p(
    `Reply window ${s.windowMinutes} min or ${s.windowMessages} messages; stance thresholds challenge ${s.challengeThreshold}, endorse ${s.endorseThreshold}; same picture within ${s.phashMaxDistance} bits; framework ${s.framework}.`,
  );

  h2("What an export cannot show");
  for (const l of r.limitations) {
    p(`• ${l}`);
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font(body)
      .fontSize(7)
      .text(`${r.export.sha256.slice(0, 16)}… page ${i + 1} of ${range.count}`, 48, 800, {
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

function itemBlock(
  doc: PDFKit.PDFDocument,
  it: FlaggedItem,
  ctx: ReadonlyMap<number, AnalysisReport["context"][number]>,
  thumbs: ReadonlyMap<string, Buffer>,
  f: { p: (s: string, size?: number) => void; heavy: string; body: string },
): void {
  if (doc.y > 650) {
    doc.addPage();
  }
  doc
    .moveDown(0.4)
    .font(f.heavy)
    .fontSize(10)
    .text(
      `#${it.recordIndex} ${it.role} · ${clean(it.participant)} · ${t(it.timestamp)} · ${it.categories.join(", ")}`,
    );
  for (const s of it.sources) {
    f.p(
      `${s.kind}${s.fileName ? ` ${clean(s.fileName)}` : ""}: ${s.reasons
        .slice(0, 6)
        .map((x) => `${clean(x.evidence)} (${x.category})`)
        .join(", ")}`,
      8,
    );
  }
  const replies = new Map(it.replies.map((x) => [x.recordIndex, x]));
  const idx = new Set<number>();
  for (let i = it.recordIndex - 5; i <= it.recordIndex + 5; i++) {
    if (ctx.has(i)) {
      idx.add(i);
    }
  }
  for (const x of it.replies) {
    idx.add(x.recordIndex);
  }
  for (const i of [...idx].sort((a, b) => a - b)) {
    const rec = ctx.get(i);
    if (!rec) {
      continue;
    }
    const rep = replies.get(i);
    const tag = i === it.recordIndex ? "FLAGGED" : rep ? `${rep.stance}, ${rep.minutesAfter} min` : "";
    f.p(
      `#${i} ${t(rec.timestamp)} ${rec.kind === "system" ? "[system]" : clean(rec.author)}: ${clean(rec.text)}${rec.attachments.length ? ` [${rec.attachments.map(clean).join(", ")}]` : ""}${tag ? `  (${tag})` : ""}`,
      8.5,
    );
    for (const a of rec.attachments) {
      const img = thumbs.get(a);
      if (!img) {
        continue;
      }
      if (doc.y > 680) {
        doc.addPage();
      }
      doc.image(img, { fit: [110, 110] });
      doc.moveDown(0.2);
    }
  }
  f.p(
    `Active without challenging or endorsing: ${it.silent.map((x) => clean(x.participant)).join(", ") || "nobody"}. No activity in the window: ${it.absent.map(clean).join(", ") || "nobody"}.`,
    8,
  );
}
