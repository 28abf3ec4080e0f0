/**
 * @module list-notifications
 * Clock reminders and breach notices, for one case or the whole organisation, optionally only those
 * addressed to some roles (case-api passes the roles the user holds).
 */
import { selectNotifications, type NotificationRow } from "../../storage/repositories/clock.repository.ts";
import type { CaseDeps } from "./case-deps.ts";

export function listNotifications(
  deps: CaseDeps,
  input: { orgId: string; caseId?: string; roles?: readonly string[] },
): Promise<NotificationRow[]> {
  return selectNotifications(deps.db, input);
}
