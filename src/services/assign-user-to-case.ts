/**
 * @module assign-user-to-case
 * Assigns a user to a case unless the evidence excludes them: someone who appears in the case's chat
 * evidence, is a subject, or is in a subject's management chain cannot be assigned (refusal ledgered).
 */
import { AppError } from "../contract/errors.ts";
import type { Actor, CaseRole } from "../domain/workflow/roles.ts";
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { findUserById } from "../storage/repositories/user.repository.ts";
import type { CaseFacts } from "./authorize.ts";
import { assignToCase } from "./cases/assign-to-case.ts";

/**
 * @throws AppError NOT_FOUND for an unknown user, FORBIDDEN when the assignee is conflicted
 */
export async function assignUserToCase(
  deps: { db: Db; clock: () => Date; caseFacts: CaseFacts },
  input: { orgId: string; caseId: string; caseRef: string; userId: string; role: CaseRole; actor: Actor },
): Promise<{ created: boolean }> {
  const user = await findUserById(deps.db, input.orgId, input.userId);
  if (!user || user.disabled) {
    throw new AppError("NOT_FOUND", { userMessage: "no such user" });
  }
  const matches = await deps.caseFacts.conflicts(
    { orgId: input.orgId, userId: user.id, displayName: user.displayName, phone: user.phone },
    input.caseId,
  );
  if (matches.length > 0) {
    await deps.db.transaction((tx) =>
      appendLedgerEvent(tx, {
        orgId: input.orgId,
        eventType: "access.refused",
        caseRef: input.caseRef,
        actor: input.actor.userId,
        payload: { action: "assignment.manage", reason: "assignee_conflicted", assignee: user.id, matches },
        occurredAt: deps.clock(),
      }),
    );
    throw new AppError("FORBIDDEN", {
      userMessage:
        "this user appears in the case's evidence or a subject's management chain and cannot be assigned",
      details: { reason: "assignee_conflicted" },
    });
  }
  return assignToCase({ db: deps.db }, { ...input, now: deps.clock() });
}
