/**
 * @module classify-body
 * Turns a header's REST plus continuation lines into the normalised fields of a record: author,
 * system event, flags and text. Text is what the person wrote: markers that became flags (deleted,
 * media omitted, the attachment line, the edited marker) are not repeated in it, and the marks
 * WhatsApp inserts (U+200E, U+FEFF) are removed; `raw` keeps everything.
 */
import type { Attachment, Poll, SystemEventType } from "../chat-record.ts";
import { attachmentName, isDeletedText, isMediaOmitted, locationOf, pollOf, stripEditedMarker } from "./markers.ts";
import { classifySystemText, mayBeStrongSystem, stripMarks } from "./system-events.ts";

/** Longest plausible author name; a longer "X: " prefix is body text of a system line. */
const MAX_AUTHOR = 100;

export interface Classified {
  /** Author exactly as it stands before ": " (marks kept), or null. */
  rawAuthor: string | null;
  kind: "message" | "system";
  systemType: SystemEventType | null;
  text: string;
  attachments: Attachment[];
  deleted: boolean;
  edited: boolean;
  mediaOmitted: boolean;
  viewOnce: boolean;
  location: string | null;
  poll: Poll | null;
}

const WA_MARKS = /[\u200e\ufeff]/g;

function dropMarks(s: string): string {
  return s.indexOf("\u200e") >= 0 || s.indexOf("\ufeff") >= 0 ? s.replace(WA_MARKS, "") : s;
}

function hasMark(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x200e || c === 0x200f || c === 0xfeff || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

function clean(s: string): string {
  return hasMark(s) ? stripMarks(s) : s.trim();
}

/**
 * Classifies one record.
 * @param rest the header line after the timestamp separator (CR removed)
 * @param cont continuation lines (CRs removed), possibly empty
 * @param groupName the chat's name when known: an iOS line attributed to it may be a system event
 */
export function classifyBody(rest: string, cont: readonly string[], groupName: string | null): Classified {
  let idx = rest.indexOf(": ");
  let first: string;
  let rawAuthor: string | null;
  if (idx < 0 && rest.endsWith(":") && rest.length - 1 <= MAX_AUTHOR) idx = rest.length - 1;
  if (idx > 0 && idx <= MAX_AUTHOR) {
    rawAuthor = rest.slice(0, idx);
    first = rest.slice(idx + 2);
  } else {
    rawAuthor = null;
    first = rest;
  }
  const single = cont.length === 0;
  if (rawAuthor === null) {
    return system(null, single ? (classifySystemText(clean(rest), false, true) ?? "other") : "other", joinText(first, cont));
  }
  // A quote in the "author" means the colon sat inside a quoted group name of a system line.
  if (single && (rawAuthor.includes('"') || rawAuthor.includes("“") || rawAuthor.includes("„"))) {
    const t = classifySystemText(clean(rest), false, true);
    if (t) return system(null, t, dropMarks(rest));
  }
  const firstClean = clean(first);
  if (single) {
    const trusted = first.charCodeAt(0) === 0x200e || (groupName !== null && clean(rawAuthor) === groupName);
    if (trusted || mayBeStrongSystem(firstClean)) {
      const t = classifySystemText(firstClean, true, trusted);
      if (t) return system(rawAuthor, t, dropMarks(first).trim());
    }
  }
  const r: Classified = {
    rawAuthor,
    kind: "message",
    systemType: null,
    text: "",
    attachments: [],
    deleted: false,
    edited: false,
    mediaOmitted: false,
    viewOnce: false,
    location: null,
    poll: null,
  };
  let bodyFirst = first;
  let bodyCont = cont;
  const attached = attachmentName(firstClean);
  if (attached !== null) {
    r.attachments = [{ fileName: attached }];
    // Captions follow on the next line(s); the attachment line itself is not text.
    bodyFirst = cont[0] ?? "";
    bodyCont = cont.slice(1);
    if (cont.length === 0) {
      return r;
    }
  } else if (single) {
    if (firstClean.length === 0) {
      r.viewOnce = true;
      return r;
    }
    if (isDeletedText(firstClean)) {
      r.deleted = true;
      return r;
    }
    if (isMediaOmitted(firstClean)) {
      r.mediaOmitted = true;
      return r;
    }
  }
  let text = joinText(bodyFirst, bodyCont);
  const unedited = stripEditedMarker(text);
  if (unedited !== null) {
    r.edited = true;
    text = unedited;
  }
  r.text = text;
  if (attached === null) {
    if (firstClean.charCodeAt(firstClean.length - 1) === 0x3a && !single) {
      r.poll = pollOf([firstClean, ...cont.map(clean)]);
    }
    if (firstClean.length >= 12 || firstClean.startsWith("live")) r.location = locationOf(firstClean);
  }
  return r;
}

function joinText(first: string, cont: readonly string[]): string {
  return dropMarks(cont.length === 0 ? first : first + "\n" + cont.join("\n"));
}

function system(rawAuthor: string | null, type: SystemEventType, text: string): Classified {
  return {
    rawAuthor,
    kind: "system",
    systemType: type,
    text,
    attachments: [],
    deleted: false,
    edited: false,
    mediaOmitted: false,
    viewOnce: false,
    location: null,
    poll: null,
  };
}
