/**
 * @module classify-body
 * Turns a header's REST plus continuation lines into the normalised fields of a record: author,
 * system event, flags and text. Text is what the person wrote: markers that became flags (deleted,
 * media omitted, the attachment line, the edited marker) are not repeated in it, and the marks
 * WhatsApp inserts (U+200E, U+FEFF) are removed; `raw` keeps everything.
 */
import type { ChatRecord } from "../chat-record.ts";
import {
  attachmentName,
  isDeletedText,
  isMediaOmitted,
  locationOf,
  pollOf,
  stripEditedMarker,
} from "./markers.ts";
import { classifySystemText, mayBeStrongSystem, stripMarks } from "./system-events.ts";

/** Longest plausible author name; a longer "X: " prefix is body text of a system line. */
const MAX_AUTHOR = 100;

const WA_MARKS = /[\u200e\ufeff]/g;

function dropMarks(s: string): string {
  return s.indexOf("\u200e") >= 0 || s.indexOf("\ufeff") >= 0 ? s.replace(WA_MARKS, "") : s;
}

/** Whether `s` holds any invisible mark (LRM, RLM, BOM, LRE..RLO, isolates). */
function hasMark(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      c >= 0x200e &&
      (c === 0x200e ||
        c === 0x200f ||
        c === 0xfeff ||
        (c >= 0x202a && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069))
    ) {
      return true;
    }
  }
  return false;
}

function clean(s: string): string {
  return hasMark(s) ? stripMarks(s) : s.trim();
}

/**
 * Fills the classification fields of `rec` (kind, systemType, text, flags, attachments, location, poll)
 * from one record's REST and continuation lines.
 * @param rest the header line after the timestamp separator (CR removed)
 * @param cont continuation lines (CRs removed), possibly empty
 * @param groupName the chat's name when known: an iOS line attributed to it may be a system event
 * @param mayHaveMarks false when the bytes hold no E2/EF lead byte, so no invisible mark can occur
 * @returns the author exactly as it stands before ": " (marks kept), or null
 */
export function classifyInto(
  rec: ChatRecord,
  rest: string,
  cont: readonly string[],
  groupName: string | null,
  mayHaveMarks = true,
): string | null {
  let idx = rest.indexOf(": ");
  if (idx < 0 && rest.charCodeAt(rest.length - 1) === 0x3a && rest.length - 1 <= MAX_AUTHOR) {
    idx = rest.length - 1;
  }
  const single = cont.length === 0;
  if (idx <= 0 || idx > MAX_AUTHOR) {
    rec.kind = "system";
    rec.systemType = single ? (classifySystemText(clean(rest), false, true) ?? "other") : "other";
    rec.text = joinText(rest, cont);
    return null;
  }
  const rawAuthor = rest.slice(0, idx);
  const first = idx + 2 >= rest.length ? "" : rest.slice(idx + 2);
  const firstMarked = mayHaveMarks && hasMark(first);
  const firstClean = firstMarked ? stripMarks(first) : first.trim();
  if (single) {
    // A quote in the "author" means the colon sat inside a quoted group name of a system line.
    if (rawAuthor.includes('"') || rawAuthor.includes("“") || rawAuthor.includes("„")) {
      const t = classifySystemText(clean(rest), false, true);
      if (t) {
        rec.kind = "system";
        rec.systemType = t;
        rec.text = dropMarks(rest);
        return null;
      }
    }
    const trusted = first.charCodeAt(0) === 0x200e || (groupName !== null && clean(rawAuthor) === groupName);
    // iOS also marks attachments, omitted media and deletions with the LRM: those cheap checks come
    // first, so the catalogue only runs on what can still be a system text.
    if (
      (trusted &&
        firstClean.charCodeAt(firstClean.length - 1) !== 0x3e &&
        !isMediaOmitted(firstClean) &&
        !isDeletedText(firstClean)) ||
      (!trusted && mayBeStrongSystem(firstClean))
    ) {
      const t = classifySystemText(firstClean, true, trusted);
      if (t) {
        rec.kind = "system";
        rec.systemType = t;
        rec.text = firstMarked ? dropMarks(first).trim() : first;
        return rawAuthor;
      }
    }
  }
  let bodyFirst = first;
  let bodyCont = cont;
  const attached = attachmentName(firstClean);
  if (attached !== null) {
    rec.attachments = [{ fileName: attached }];
    // Captions follow on the next line(s); the attachment line itself is not text.
    if (single) return rawAuthor;
    bodyFirst = cont[0] ?? "";
    bodyCont = cont.slice(1);
  } else if (single) {
    if (firstClean.length === 0) {
      rec.viewOnce = true;
      return rawAuthor;
    }
    if (isDeletedText(firstClean)) {
      rec.deleted = true;
      return rawAuthor;
    }
    if (isMediaOmitted(firstClean)) {
      rec.mediaOmitted = true;
      return rawAuthor;
    }
  }
  let text =
    bodyCont.length === 0 && attached === null && !firstMarked
      ? bodyFirst
      : joinText(bodyFirst, bodyCont, mayHaveMarks);
  const unedited = stripEditedMarker(text);
  if (unedited !== null) {
    rec.edited = true;
    text = unedited;
  }
  rec.text = text;
  if (attached === null) {
    if (!single && firstClean.charCodeAt(firstClean.length - 1) === 0x3a) {
      rec.poll = pollOf([firstClean, ...cont.map(clean)]);
    }
    if (firstClean.length >= 12 || firstClean.startsWith("live")) rec.location = locationOf(firstClean);
  }
  return rawAuthor;
}

function joinText(first: string, cont: readonly string[], mayHaveMarks = true): string {
  const t = cont.length === 0 ? first : first + "\n" + cont.join("\n");
  return mayHaveMarks ? dropMarks(t) : t;
}
