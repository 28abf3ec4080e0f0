/**
 * @module list-users
 * The organisation's accounts for the administrator.
 */
import type { User } from "../contract/api-auth.ts";
import type { Db } from "../storage/db.ts";
import { listUsers as listUserRows } from "../storage/repositories/user.repository.ts";
import { presentUser } from "./account-presenter.ts";

export async function listUsers(deps: { db: Db; clock: () => Date }, orgId: string): Promise<User[]> {
  const now = deps.clock();
  return (await listUserRows(deps.db, orgId)).map((u) => presentUser(u, now));
}
