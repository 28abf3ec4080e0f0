/**
 * @module participant-roles
 * Counts each participant's roles over the flagged items, with the supporting records.
 */
import type { FlaggedItem, MembershipEvent, Participant, RoleEvidence } from "../../contract/analysis.ts";
import type { ChatRecord } from "../formats/chat-record.ts";

const SEEN = new WeakMap<RoleEvidence, Set<number>>();

function emptyEvidence(): RoleEvidence {
  return { count: 0, first: null, last: null, records: [], items: [] };
}

function note(ev: RoleEvidence, item: number, records: number[], ts: string[]): void {
  ev.count++;
  ev.items.push(item);
  // One post can fall in several overlapping windows: list it once.
  let seen = SEEN.get(ev);
  if (!seen) {
    seen = new Set(ev.records);
    SEEN.set(ev, seen);
  }
  for (const r of records) {
    if (!seen.has(r)) {
      seen.add(r);
      ev.records.push(r);
    }
  }
  for (const t of ts) {
    if (ev.first === null || t < ev.first) {
      ev.first = t;
    }
    if (ev.last === null || t > ev.last) {
      ev.last = t;
    }
  }
}

/** One participant: roles with counts, first and last dates, items and records; challenges in detail. */
export function buildParticipant(
  name: string,
  s: { count: number; first: string | null; last: string | null } | undefined,
  membership: MembershipEvent[],
  items: readonly FlaggedItem[],
  records: readonly ChatRecord[],
): Participant {
  const roles: Participant["roles"] = {
    originator: emptyEvidence(),
    amplifier: emptyEvidence(),
    endorser: emptyEvidence(),
    challenger: emptyEvidence(),
    silent_bystander: emptyEvidence(),
    absent: emptyEvidence(),
  };
  const challenges: Participant["challenges"] = [];
  const ts = (i: number): string => records[i]?.timestamp ?? "";
  for (const it of items) {
    if (it.participant === name) {
      note(roles[it.role], it.recordIndex, [it.recordIndex], [it.timestamp]);
    }
    const mine = it.replies.filter((r) => r.participant === name);
    const ch = mine.filter((r) => r.stance === "challenge");
    const en = mine.filter((r) => r.stance === "endorse");
    if (ch.length > 0) {
      note(
        roles.challenger,
        it.recordIndex,
        ch.map((r) => r.recordIndex),
        ch.map((r) => r.timestamp),
      );
      for (const r of ch) {
        challenges.push({
          recordIndex: r.recordIndex,
          itemRecordIndex: it.recordIndex,
          timestamp: r.timestamp,
          minutesAfter: r.minutesAfter,
          to: it.participant,
        });
      }
    }
    if (en.length > 0) {
      note(
        roles.endorser,
        it.recordIndex,
        en.map((r) => r.recordIndex),
        en.map((r) => r.timestamp),
      );
    }
    const quiet = it.silent.find((x) => x.participant === name);
    if (quiet) {
      note(roles.silent_bystander, it.recordIndex, quiet.recordIndices, quiet.recordIndices.map(ts));
    }
    if (it.absent.includes(name)) {
      note(roles.absent, it.recordIndex, [], [it.timestamp]);
    }
  }
  return {
    key: name,
    name,
    messageCount: s?.count ?? 0,
    firstActivity: s?.first ?? null,
    lastActivity: s?.last ?? null,
    roles,
    challenges,
    membership,
    standards: [],
  };
}
