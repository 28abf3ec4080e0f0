/**
 * @module chat-record
 * The platform-neutral record every chat-export format produces. WhatsApp is the first format;
 * Telegram, Signal, Slack and Discord will produce the same shape (see ../shared/docs/ROADMAP.md),
 * so fields that WhatsApp never fills (ids, reply-to, reactions) exist already and stay null/empty.
 */

export const RECORD_KINDS = ["message", "system"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Kinds of system event the parsers recognise; `other` is a system line we know is not a user message. */
export const SYSTEM_EVENT_TYPES = [
  "encryption_notice",
  "group_created",
  "member_added",
  "member_removed",
  "member_left",
  "member_joined",
  "subject_changed",
  "icon_changed",
  "description_changed",
  "security_code_changed",
  "number_changed",
  "admin_changed",
  "disappearing_messages",
  "call",
  "blocked",
  "settings_changed",
  "other",
] as const;
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];

export interface Attachment {
  /** File name as written in the export (e.g. "IMG-20190512-WA0003.jpg"). */
  fileName: string;
}

export interface PollOption {
  text: string;
  votes: number | null;
}

export interface Poll {
  question: string;
  options: PollOption[];
}

/** One record of a chat export, in file order. Normalised fields sit beside the verbatim text. */
export interface ChatRecord {
  /** 0-based position in the file. File order is kept even when timestamps go backwards. */
  index: number;
  /** 1-based line number of the record's first line. */
  line: number;
  /** Byte offset of the record's first byte in the original file (or zip member). */
  byteOffset: number;
  /** Length in bytes of the record in the original, without the line terminator that ends it. */
  byteLength: number;
  /** The record exactly as written: header, continuation lines, invisible marks and CRs kept. */
  raw: string;
  /** Local wall-clock time as written, "YYYY-MM-DDTHH:MM:SS" ("00" seconds when the export has none). */
  timestamp: string;
  hasSeconds: boolean;
  /** Author as written, invisible marks removed; null for a system event without one. */
  author: string | null;
  /** Normalised author key for matching people across exports (case-folded, marks and phone punctuation removed). */
  authorKey: string | null;
  kind: RecordKind;
  systemType: SystemEventType | null;
  /** Body: continuation lines joined with "\n"; the edited marker removed when `edited`. */
  text: string;
  attachments: Attachment[];
  deleted: boolean;
  edited: boolean;
  mediaOmitted: boolean;
  /** An empty body after "Name:": a view-once or self-deleting media item. */
  viewOnce: boolean;
  /** The timestamp is earlier than the previous record's (kept in file order, flagged). */
  outOfOrder: boolean;
  location: string | null;
  poll: Poll | null;
  /** Platform message id, when the platform exports one (WhatsApp does not). */
  platformId: string | null;
  /** Index of the record this one replies to, when the platform exports it (WhatsApp does not). */
  replyToIndex: number | null;
  /** Set only when the file mixes date orders (status "mixed"): the order this record's date was read with. */
  dateOrder?: DateOrder;
}

export interface ParseIssue {
  /** 1-based line number (0 when the issue concerns the whole file). */
  line: number;
  reason: string;
}

export const DATE_ORDERS = ["dmy", "mdy", "ymd"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/**
 * How the day/month order was decided. `inferred`: some value > 12 settled it. `ambiguous`: no value
 * settled it; the parser used `order` and lists the other readings in `alternatives`. `mixed`: the file
 * contains both orders and each line was read with its own evidence. `override`: the caller chose.
 * `single`: the file only uses one unambiguous order (e.g. year-first).
 */
export const DATE_ORDER_STATUSES = ["inferred", "ambiguous", "mixed", "override", "single"] as const;
export type DateOrderStatus = (typeof DATE_ORDER_STATUSES)[number];

export interface DateOrderDecision {
  order: DateOrder;
  status: DateOrderStatus;
  alternatives: DateOrder[];
  /** Human-readable reason, e.g. "a first field of 29 on line 14". */
  evidence: string;
}

/** What a parser reports once the whole file has been read. */
export interface ParseSummary {
  format: string;
  /** Family within the format, e.g. "android" or "ios" for WhatsApp. */
  variant: string;
  chatTitle: string | null;
  dateOrder: DateOrderDecision;
  recordCount: number;
  messageCount: number;
  systemCount: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  participants: string[];
  outOfOrderCount: number;
  issues: ParseIssue[];
  /** Issues beyond the first N are counted, not kept, so a hostile file cannot exhaust memory. */
  issuesTruncated: number;
}
