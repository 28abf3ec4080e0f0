/**
 * @module standards
 * Applies a conduct framework to one participant's roles: which standards the evidence is relevant to,
 * on what basis, and which records support it.
 */
import type { FlaggedItem, Participant, Role, StandardRelevance } from "../../contract/analysis.ts";
import type { ConductFramework } from "./framework.ts";

/** Supporting records of `role` restricted to items the rule covers. */
function supporting(
  p: Participant,
  role: Role,
  byIndex: ReadonlyMap<number, FlaggedItem>,
  covers: (it: FlaggedItem) => boolean,
): number[] {
  const out: number[] = [];
  // Only the items the participant's role evidence names can support it.
  for (const i of p.roles[role].items) {
    const it = byIndex.get(i);
    if (!it) {
      continue;
    }
    if (!covers(it)) {
      continue;
    }
    switch (role) {
      case "originator":
      case "amplifier":
        if (it.participant === p.name && it.role === role) {
          out.push(it.recordIndex);
        }
        break;
      case "endorser":
      case "challenger": {
        const stance = role === "endorser" ? "endorse" : "challenge";
        const rs = it.replies.filter((r) => r.participant === p.name && r.stance === stance);
        if (rs.length > 0) {
          out.push(it.recordIndex, ...rs.map((r) => r.recordIndex));
        }
        break;
      }
      case "silent_bystander": {
        const s = it.silent.find((x) => x.participant === p.name);
        if (s) {
          out.push(it.recordIndex, ...s.recordIndices);
        }
        break;
      }
      case "absent":
        break;
    }
  }
  return out;
}

/**
 * @returns one entry per (standard, direction), with the roles that ground it and the records supporting it
 */
export function applyFramework(
  fw: ConductFramework,
  p: Participant,
  items: readonly FlaggedItem[],
): StandardRelevance[] {
  const byKey = new Map<string, StandardRelevance>();
  const byIndex = new Map(items.map((it) => [it.recordIndex, it]));
  for (const rule of fw.rules) {
    const cats = rule.categories;
    const covers = (it: FlaggedItem): boolean => !cats || it.categories.some((c) => cats.includes(c));
    for (const role of rule.roles) {
      const recs = supporting(p, role, byIndex, covers);
      if (recs.length === 0) {
        continue;
      }
      for (const std of rule.standards) {
        const key = `${std}:${rule.direction}`;
        const cur = byKey.get(key) ?? {
          standard: std,
          title: fw.standards[std] ?? std,
          direction: rule.direction,
          basis: [],
          rationale: "",
          records: [],
        };
        const basis = role.replace("_", " ");
        if (!cur.basis.includes(basis)) {
          cur.basis.push(basis);
        }
        cur.rationale = cur.rationale
          ? cur.rationale.includes(rule.rationale)
            ? cur.rationale
            : `${cur.rationale}; ${rule.rationale}`
          : rule.rationale;
        cur.records = [...new Set([...cur.records, ...recs])].sort((a, b) => a - b);
        byKey.set(key, cur);
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) => Number(a.standard) - Number(b.standard) || a.direction.localeCompare(b.direction),
  );
}
