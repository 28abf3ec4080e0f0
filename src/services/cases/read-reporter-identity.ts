/**
 * @module read-reporter-identity
 * Reveals who reported. A confidential reporter's identity is readable only by the protection officer
 * and the users they granted access to; a named reporter's by the case team. Every reveal is written to
 * the ledger (identity.revealed) with its purpose, and so is every refusal (access.refused).
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { hasAnyRole } from "../../domain/workflow/roles.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { hasIdentityGrant, selectIdentities } from "../../storage/repositories/report.repository.ts";
import { found, parseInput, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";
import { MESSAGE_ROLES } from "./send-message-to-reporter.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  purpose: z.string().trim().min(1).max(2000),
  now: NowSchema,
});
export type ReadReporterIdentityInput = z.input<typeof Schema>;

export interface RevealedIdentity {
  reportId: string;
  restricted: boolean;
  fullName: string;
  contact: string | null;
}

/**
 * Returns the identities behind the case's reports that the actor may see (anonymous reports have none).
 * @throws AppError FORBIDDEN when a restricted identity exists and the actor may not see it
 */
export async function readReporterIdentity(
  deps: CaseDeps,
  input: ReadReporterIdentityInput,
): Promise<RevealedIdentity[]> {
  const inp = parseInput(Schema, input);
  const now = inp.now ?? new Date();
  const c = found(await findCase(deps.db, inp.orgId, inp.caseId), "case");
  const identities = await selectIdentities(deps.db, inp.orgId, inp.caseId);
  const isTeam = hasAnyRole(inp.actor, MESSAGE_ROLES);
  const mayRestricted =
    hasAnyRole(inp.actor, ["protection_officer"]) ||
    (await hasIdentityGrant(deps.db, inp.orgId, inp.caseId, inp.actor.userId));
  const refused = identities.some((i) => (i.restricted ? !mayRestricted : !isTeam && !mayRestricted));
  if (refused) {
    await deps.db.transaction((tx) =>
      appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "access.refused",
        caseRef: c.reference,
        actor: inp.actor.userId,
        payload: { caseId: inp.caseId, resource: "reporter_identity", purpose: inp.purpose },
        occurredAt: now,
      }),
    );
    throw new AppError("FORBIDDEN", {
      userMessage: "the reporter's identity is restricted to the protection officer and those they allow",
    });
  }
  if (identities.length > 0) {
    await deps.db.transaction((tx) =>
      appendLedgerEvent(tx, {
        orgId: inp.orgId,
        eventType: "identity.revealed",
        caseRef: c.reference,
        actor: inp.actor.userId,
        payload: { caseId: inp.caseId, reportIds: identities.map((i) => i.reportId), purpose: inp.purpose },
        occurredAt: now,
      }),
    );
  }
  return identities.map((i) => ({
    reportId: i.reportId,
    restricted: i.restricted,
    fullName: i.fullName,
    contact: i.contact,
  }));
}
