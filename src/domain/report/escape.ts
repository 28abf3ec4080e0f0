/**
 * @module escape
 * Everything from an export is hostile input. Text goes into HTML only through `text()`, which escapes
 * the five HTML-significant characters and makes invisible direction controls visible (an RTL override
 * can make "gpj.exe" read as "exe.jpg", or reorder who said what), wrapped in <bdi> so that nothing
 * from one message can reorder its neighbours.
 */

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes text for an HTML text node or a double- or single-quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shows each direction control as a visible marker such as ⟦U+202E⟧. */
export function showBidiControls(s: string): string {
  return s.replace(BIDI, (c) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟧`);
}

/** Export text as safe HTML: escaped, direction controls shown, isolated. */
export function text(s: string | null | undefined): string {
  return `<bdi>${escapeHtml(showBidiControls(s ?? ""))}</bdi>`;
}

/** A data: URI we made ourselves (thumbnails); anything else is dropped. */
export function safeImageDataUri(uri: string): string | null {
  return /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/]+=*$/.test(uri) ? uri : null;
}
