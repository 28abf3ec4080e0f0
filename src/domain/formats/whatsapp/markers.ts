/**
 * @module markers
 * Body markers that turn into flags (FORMATS.md 1.7, 1.8): deleted, edited, media omitted, attachments,
 * locations, polls. Every check runs on the body with invisible marks removed; the raw text is kept
 * by the caller.
 */
import type { Poll, PollOption } from "../chat-record.ts";

const DELETED = new Set([
  "This message was deleted",
  "This message was deleted.",
  "You deleted this message",
  "You deleted this message.",
  "Message deleted",
  "Diese Nachricht wurde gelöscht",
  "Diese Nachricht wurde gelöscht.",
  "Du hast diese Nachricht gelöscht",
  "Du hast diese Nachricht gelöscht.",
  "Данное сообщение удалено",
  "Это сообщение удалено",
  "Ce message a été supprimé",
  "Se eliminó este mensaje.",
  "Mensagem apagada",
]);

/** Whether a (mark-stripped, trimmed) single-line body is a deletion placeholder. */
export function isDeletedText(t: string): boolean {
  return t.length <= 40 && t.length >= 14 && DELETED.has(t);
}

const EDITED_MARKERS = [
  "<This message was edited>",
  "<Diese Nachricht wurde bearbeitet.>",
  "<Diese Nachricht wurde bearbeitet>",
];

/**
 * If `text` ends with an edited marker (after an optional space and LRM), returns the text without it;
 * otherwise null. The marker ends the last line of a multi-line message.
 */
export function stripEditedMarker(text: string): string | null {
  if (!text.endsWith(">")) return null;
  for (const mk of EDITED_MARKERS) {
    if (text.endsWith(mk)) {
      let cut = text.length - mk.length;
      while (cut > 0 && /[\s\u200e\u200f]/.test(text.charAt(cut - 1))) cut--;
      return text.slice(0, cut);
    }
  }
  return null;
}

const MEDIA_OMITTED = new Set([
  "<Media omitted>",
  "<Video message omitted>",
  "<Video note omitted>",
  "<Medien ausgeschlossen>",
  "<Medien weggelassen>",
  "<médias omis>",
  "<Médias omis>",
  "<Fichier omis>",
  "<Multimedia omitido>",
  "<Mídia omitida>",
  "<Arquivo de mídia oculto>",
  "<ficheiro não revelado>",
  "<Без медиафайлов>",
  "<Файл пропущен>",
  "<Media weggelaten>",
  "<Media omessi>",
  "image omitted",
  "video omitted",
  "audio omitted",
  "sticker omitted",
  "GIF omitted",
  "Contact card omitted",
  "document omitted",
  "Bild weggelassen",
  "Video weggelassen",
  "Audio weggelassen",
  "Sticker weggelassen",
  "GIF weggelassen",
  "Kontaktkarte weggelassen",
  "Dokument weggelassen",
]);

/** Whether a (mark-stripped, trimmed) single-line body says the media were left out of the export. */
export function isMediaOmitted(t: string): boolean {
  const last = t.charCodeAt(t.length - 1);
  // Every spelling ends in ">", "d" (omitted) or "n" (weggelassen).
  if (last !== 0x3e && last !== 0x64 && last !== 0x6e) return false;
  if (MEDIA_OMITTED.has(t)) return true;
  // iOS documents: "NAME.pdf • 3 pages document omitted".
  return t.endsWith(" document omitted") || t.endsWith(" Dokument weggelassen");
}

const ANDROID_ATTACHED =
  /^(.+?) \((file attached|Datei angehängt|archivo adjunto|fichier joint|arquivo anexado)\)$/;
const IOS_ATTACHED = /<\s*(attached|Anhang|adjunto|pièce jointe|anexo)\s*:\s*([^<>]+?)\s*>$/;
const OLD_IOS_ATTACHED = /^(.+?)\s*<\s*attached\s*>$/;

/** The attached file name on a (mark-stripped, trimmed) body line, or null. */
export function attachmentName(t: string): string | null {
  const last = t.charCodeAt(t.length - 1);
  if (last === 0x29) return ANDROID_ATTACHED.exec(t)?.[1] ?? null;
  if (last !== 0x3e) return null;
  const ios = IOS_ATTACHED.exec(t);
  if (ios?.[2]) return ios[2];
  return OLD_IOS_ATTACHED.exec(t)?.[1] ?? null;
}

const LOCATION = /^(?:location|Location|Standort|Ubicación|Localização|Position): (https?:\/\/\S+)$/;
const VENUE =
  /^.+: (https?:\/\/(?:foursquare\.com|maps\.google\.[a-z.]+|maps\.apple\.com|www\.google\.com\/maps)\/?\S*)$/;

/** A shared location on a (mark-stripped, trimmed) first body line: its URL, "live location shared", or null. */
export function locationOf(t: string): string | null {
  if (t === "live location shared" || t === "Live-Standort wird geteilt" || t === "Live-Standort geteilt") {
    return t;
  }
  if (!t.includes("://")) return null;
  const m = LOCATION.exec(t) ?? VENUE.exec(t);
  return m?.[1] ?? null;
}

const POLL_HEAD = new Set(["POLL:", "ENCUESTA:", "UMFRAGE:", "SONDAGE :", "SONDAGE:", "ENQUETE:"]);
const OPTION = /^(?:OPTION|OPCIÓN|OPÇÃO|OPTION ?): (.*?)(?: \((\d+) (?:votes?|votos?|Stimmen?|voix)\))?$/;

/** Parses a poll when the (mark-stripped) body lines start with "POLL:" (es "ENCUESTA:"). */
export function pollOf(lines: readonly string[]): Poll | null {
  if (lines.length < 2 || !POLL_HEAD.has(lines[0] ?? "")) return null;
  const question = lines[1] ?? "";
  const options: PollOption[] = [];
  for (let i = 2; i < lines.length; i++) {
    const m = OPTION.exec(lines[i] ?? "");
    if (!m) continue;
    options.push({ text: m[1] ?? "", votes: m[2] === undefined ? null : Number(m[2]) });
  }
  return { question, options };
}
