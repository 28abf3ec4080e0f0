/**
 * @module grant-identity-access
 * The protection officer allows (or stops allowing) one user to see a confidential reporter's identity.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { revokeIdentityGrant, upsertIdentityGrant } from "../../storage/repositories/report.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema } from "./case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  userId: z.guid(),
  actor: ActorSchema,
  grant: z.boolean(),
  reason: z.string().trim().min(1).max(2000),
  now: NowSchema,
});
export type GrantIdentityAccessInput = z.input<typeof Schema>;

/**
 * Grants (`grant: true`) or revokes access.
 * @throws AppError FORBIDDEN unless the actor is the protection officer
 */
export async function grantIdentityAccess(deps: CaseDeps, input: GrantIdentityAccessInput): Promise<void> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["protection_officer"], "granting access to the reporter's identity");
  if (inp.userId === inp.actor.userId && inp.grant) {
    throw new AppError("CONFLICT", { userMessage: "the protection officer already has access" });
  }
  const now = inp.now ?? new Date();
  await deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    if (inp.grant) {
      await upsertIdentityGrant(tx, { ...inp, grantedBy: inp.actor.userId, at: now });
    } else if (!(await revokeIdentityGrant(tx, { ...inp, at: now }))) {
      throw new AppError("NOT_FOUND", { userMessage: "no active grant for that user" });
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: inp.grant ? "identity.access_granted" : "identity.access_revoked",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { caseId: inp.caseId, userId: inp.userId, reason: inp.reason },
      occurredAt: now,
    });
  });
}
