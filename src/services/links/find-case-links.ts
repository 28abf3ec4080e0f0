/**
 * @module find-case-links
 * People and images a case shares with other cases (DOMAIN.md section 1: "one person's allegations
 * assessed one at a time"). Only cases the user may access are returned; the caller (case-api) passes
 * that set, and the case itself must be in it.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { hammingDistance } from "../../domain/detect/images/phash.ts";
import {
  selectCaseLinks,
  selectVictimPhashes,
  type LinkRow,
} from "../../storage/repositories/case-link.repository.ts";
import { parseInput, type CaseDeps } from "../cases/case-deps.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  accessibleCaseIds: z.array(z.guid()).max(100_000),
  /** Perceptual hashes this close (in bits, of 64) count as the same image; 0 = exact only. */
  phashMaxDistance: z.number().int().min(0).max(16).default(6),
});
export type FindCaseLinksInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN when the case itself is not among the accessible ones */
export async function findCaseLinks(deps: CaseDeps, input: FindCaseLinksInput): Promise<LinkRow[]> {
  const inp = parseInput(Schema, input);
  const allowed = new Set(inp.accessibleCaseIds);
  if (!allowed.has(inp.caseId)) throw new AppError("FORBIDDEN", { userMessage: "no access to this case" });
  allowed.delete(inp.caseId);
  const rows = await selectCaseLinks(deps.db, {
    orgId: inp.orgId,
    caseId: inp.caseId,
    allowedCaseIds: [...allowed],
  });
  // Near-identical perceptual hashes (a re-compressed or resized copy) are compared here, not in SQL.
  if (inp.phashMaxDistance > 0) {
    const mine = await selectVictimPhashes(deps.db, inp.orgId, [inp.caseId]);
    const theirs = mine.length > 0 ? await selectVictimPhashes(deps.db, inp.orgId, [...allowed]) : [];
    for (const a of mine) {
      for (const b of theirs) {
        const d = hammingDistance(a.phash, b.phash);
        if (d > 0 && d <= inp.phashMaxDistance) {
          rows.push({
            otherCaseId: b.caseId,
            otherReference: b.reference,
            kind: "image",
            key: a.phash,
            here: "phash",
            there: `phash:${b.phash}`,
            distance: d,
          });
        }
      }
    }
  }
  // The queries already filter; filtering again keeps the guarantee local to this use case.
  return rows.filter((r) => allowed.has(r.otherCaseId));
}
