/**
 * @module update-user
 * Administrator changes to an account: role, disabled, unlock. Disabling or a role change ends the user's
 * sessions, so the new rights apply at once.
 */
import type { UpdateUserRequest, User } from "../contract/api-auth.ts";
import { AppError } from "../contract/errors.ts";
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { deleteSessionsOfUser } from "../storage/repositories/session.repository.ts";
import {
  clearFailedAttempts,
  findUserById,
  updateUser as updateUserRow,
} from "../storage/repositories/user.repository.ts";
import { presentUser } from "./account-presenter.ts";

/** @throws AppError NOT_FOUND for an unknown user */
export async function updateUser(
  deps: { db: Db; clock: () => Date },
  orgId: string,
  userId: string,
  patch: UpdateUserRequest,
  actor: string,
): Promise<User> {
  const now = deps.clock();
  const user = await deps.db.transaction(async (tx) => {
    const before = await findUserById(tx, orgId, userId);
    if (!before) {
      throw new AppError("NOT_FOUND", { userMessage: "no such user" });
    }
    if (patch.unlock) {
      await clearFailedAttempts(tx, userId);
    }
    const after = await updateUserRow(tx, orgId, userId, { role: patch.role, disabled: patch.disabled });
    if (!after) {
      throw new AppError("NOT_FOUND", { userMessage: "no such user" });
    }
    if ((patch.role && patch.role !== before.role) || patch.disabled) {
      await deleteSessionsOfUser(tx, userId);
    }
    await appendLedgerEvent(tx, {
      orgId,
      eventType: "user.updated",
      actor,
      payload: { userId, from: { role: before.role, disabled: before.disabled }, change: patch },
      occurredAt: now,
    });
    return (await findUserById(tx, orgId, userId)) ?? after;
  });
  return presentUser(user, now);
}
