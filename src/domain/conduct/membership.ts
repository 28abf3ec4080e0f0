/**
 * @module membership
 * Who joined and left the group, read from the parser's system events. WhatsApp writes these as prose
 * ("Dan added Priya", "Mike left"), in the exporter's language, so names are found by matching the
 * participants' names inside the text; an event naming nobody we know is skipped, not guessed.
 */
import type { MembershipEvent } from "../../contract/analysis.ts";
import type { ChatRecord } from "../formats/chat-record.ts";

const MEMBERSHIP_TYPES = ["member_added", "member_joined", "member_left", "member_removed"] as const;
type MembershipType = (typeof MEMBERSHIP_TYPES)[number];

function isMembershipType(t: string | null): t is MembershipType {
  return MEMBERSHIP_TYPES.some((m) => m === t);
}

/** Positions of each known name in `text`, earliest first (longest name wins at the same position). */
function namesIn(text: string, names: readonly string[]): string[] {
  const hits: { name: string; at: number }[] = [];
  const lower = text.toLowerCase();
  for (const name of names) {
    const at = lower.indexOf(name.toLowerCase());
    if (at >= 0) {
      hits.push({ name, at });
    }
  }
  hits.sort((a, b) => a.at - b.at || b.name.length - a.name.length);
  const out: string[] = [];
  let end = -1;
  for (const h of hits) {
    if (h.at < end) {
      continue;
    } // a shorter name inside a longer one ("Sam" in "Sam Hughes")
    out.push(h.name);
    end = h.at + h.name.length;
  }
  return out;
}

/**
 * Membership events per participant name.
 * @param records the export's records
 * @param names every participant name known (authors, and names the caller adds)
 */
export function extractMembership(
  records: readonly ChatRecord[],
  names: readonly string[],
): Map<string, MembershipEvent[]> {
  const out = new Map<string, MembershipEvent[]>();
  const add = (name: string, e: MembershipEvent): void => {
    const list = out.get(name) ?? [];
    list.push(e);
    out.set(name, list);
  };
  for (const r of records) {
    if (r.kind !== "system" || !isMembershipType(r.systemType)) {
      continue;
    }
    const found = namesIn(r.text, names);
    const type = r.systemType;
    const base = { type, recordIndex: r.index, timestamp: r.timestamp };
    if (type === "member_added" || type === "member_removed") {
      // "A added B, C": the first name is the actor when more than one name appears.
      const actor = found.length > 1 ? (found[0] ?? null) : (r.author ?? null);
      const subjects = found.length > 1 ? found.slice(1) : found;
      for (const s of subjects) {
        add(s, { ...base, by: actor });
      }
    } else {
      // iOS attributes system lines to the group, so the name inside the text comes first.
      const subject = found[0] ?? (r.author !== null && names.includes(r.author) ? r.author : undefined);
      if (subject) {
        add(subject, { ...base, by: null });
      }
    }
  }
  return out;
}

/**
 * Whether, going by membership events alone, `name` was in the group at `ts`. Without events we assume
 * membership (the export does not list members); after a leave/removal, not until the next add/join;
 * before a first add/join, not a member.
 */
export function wasMember(events: readonly MembershipEvent[] | undefined, ts: string): boolean {
  if (!events || events.length === 0) {
    return true;
  }
  let state: boolean | null = null;
  for (const e of events) {
    if (e.timestamp > ts) {
      if (state === null) {
        return e.type === "member_left" || e.type === "member_removed";
      }
      break;
    }
    state = e.type === "member_added" || e.type === "member_joined";
  }
  return state ?? true;
}
