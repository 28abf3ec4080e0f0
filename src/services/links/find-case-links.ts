/**
 * @module find-case-links
 * People and images a case shares with other cases (DOMAIN.md section 1: "one person's allegations
 * assessed one at a time"). Only cases the user may access are returned; the caller (case-api) passes
 * that set, and the case itself must be in it.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { selectCaseLinks, type LinkRow } from "../../storage/repositories/case-link.repository.ts";
import { parseInput, type CaseDeps } from "../cases/case-deps.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  accessibleCaseIds: z.array(z.guid()).max(100_000),
});

/** @throws AppError FORBIDDEN when the case itself is not among the accessible ones */
export async function findCaseLinks(deps: CaseDeps, input: z.input<typeof Schema>): Promise<LinkRow[]> {
  const inp = parseInput(Schema, input);
  const allowed = new Set(inp.accessibleCaseIds);
  if (!allowed.has(inp.caseId)) throw new AppError("FORBIDDEN", { userMessage: "no access to this case" });
  allowed.delete(inp.caseId);
  const rows = await selectCaseLinks(deps.db, {
    orgId: inp.orgId,
    caseId: inp.caseId,
    allowedCaseIds: [...allowed],
  });
  // The query already filters; filtering again keeps the guarantee local to this use case.
  return rows.filter((r) => allowed.has(r.otherCaseId));
}
