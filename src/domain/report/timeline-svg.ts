/**
 * @module timeline-svg
 * The weekly chart as inline SVG (no external assets): flagged items per ISO week, stacked by category.
 */
import type { Timeline } from "../../contract/analysis.ts";
import { escapeHtml } from "./escape.ts";

const COLOURS: Record<string, string> = {
  sexual: "#c0392b",
  misogyny: "#8e44ad",
  racism: "#d35400",
  homophobia: "#2c3e50",
  derogatory: "#7f8c8d",
  threat: "#000000",
  image_explicit: "#e84393",
  image_suggestive: "#fd79a8",
};

/** Colour of a category in the chart and its legend. */
export function categoryColour(c: string): string {
  return COLOURS[c] ?? "#95a5a6";
}

/** Renders the chart; `weeks` are drawn left to right, one bar each. */
export function timelineSvg(t: Timeline): string {
  const weeks = t.weeks.length > 0 ? t.weeks : Object.keys(t.flagged).sort();
  const max = Math.max(1, ...weeks.map((w) => Object.values(t.flagged[w] ?? {}).reduce((a, b) => a + b, 0)));
  const barW = 28;
  const gap = 10;
  const h = 160;
  const left = 30;
  const width = left + weeks.length * (barW + gap) + 10;
  const parts: string[] = [];
  parts.push(`<line x1="${left}" y1="${h}" x2="${width}" y2="${h}" stroke="#333"/>`);
  parts.push(`<text x="${left - 4}" y="12" font-size="10" text-anchor="end">${max}</text>`);
  parts.push(`<text x="${left - 4}" y="${h}" font-size="10" text-anchor="end">0</text>`);
  weeks.forEach((w, i) => {
    const x = left + gap / 2 + i * (barW + gap);
    let y = h;
    for (const [cat, n] of Object.entries(t.flagged[w] ?? {})) {
      const bh = (n / max) * (h - 10);
      y -= bh;
      parts.push(
        `<rect x="${x}" y="${y.toFixed(1)}" width="${barW}" height="${bh.toFixed(1)}" fill="${categoryColour(cat)}"><title>${escapeHtml(`${w}: ${n} ${cat}`)}</title></rect>`,
      );
    }
    parts.push(
      `<text x="${x + barW / 2}" y="${h + 12}" font-size="9" text-anchor="end" transform="rotate(-45 ${x + barW / 2} ${h + 12})">${escapeHtml(w)}</text>`,
    );
  });
  const cats = [...new Set(Object.values(t.flagged).flatMap((c) => Object.keys(c)))];
  cats.forEach((c, i) => {
    const y = h + 55 + i * 14;
    parts.push(`<rect x="${left}" y="${y - 9}" width="10" height="10" fill="${categoryColour(c)}"/>`);
    parts.push(`<text x="${left + 14}" y="${y}" font-size="11">${escapeHtml(c)}</text>`);
  });
  const height = h + 60 + cats.length * 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Flagged items per week by category" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}
