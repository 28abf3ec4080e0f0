/**
 * @module authorize
 * The access gate every route goes through. Two checks: the role may attempt the action (domain/access/
 * policy.ts), and for case actions the user reaches the case (assigned, or a role-wide rule) and is not
 * conflicted (appears in the case's chat evidence or in a subject's management chain, unless an
 * administrator cleared the match). Every refusal is ledgered as access.refused, in its own transaction,
 * before the FORBIDDEN error is thrown.
 */
import { ADMIN_CASE_ACTIONS, ROLE_WIDE_RULES, roleMay, type Action } from "../domain/access/policy.ts";
import { AppError } from "../contract/errors.ts";
import type { Db } from "../storage/db.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import type { AuthContext } from "./resolve-session.ts";

/** Someone the evidence of a case names who matches the user. */
export interface ConflictMatch {
  /** "chat_participant" or "management_chain". */
  source: string;
  personKey: string;
  label: string;
}

/** What the access gate knows about one case for one user (read in one round trip). */
export interface CaseAccessFacts {
  reference: string;
  referred: boolean;
  inIntake: boolean;
  /** The user holds an assignment on the case. */
  assigned: boolean;
  /** Conflict matches left after administrators' confirm/clear decisions. */
  conflicts: ConflictMatch[];
}

/** What the access gate needs to know about cases, supplied by the case domain (services/case-facts.ts). */
export interface CaseFacts {
  /** null when the case does not exist in the organisation. */
  access(
    user: { orgId: string; userId: string; displayName: string; phone: string | null },
    caseId: string,
  ): Promise<CaseAccessFacts | null>;
  /** Matches left after administrators' confirm/clear decisions. */
  conflicts(
    user: { orgId: string; userId: string; displayName: string; phone: string | null },
    caseId: string,
  ): Promise<ConflictMatch[]>;
}

export interface AuthorizeDeps {
  db: Db;
  clock: () => Date;
  caseFacts: CaseFacts;
}

export type RefusalReason = "role" | "not_assigned" | "conflicted" | "not_referred";

async function refuse(
  deps: AuthorizeDeps,
  auth: AuthContext,
  action: Action,
  reason: RefusalReason,
  caseRef?: string,
): Promise<never> {
  await deps.db.transaction((tx) =>
    appendLedgerEvent(tx, {
      orgId: auth.orgId,
      eventType: "access.refused",
      caseRef: caseRef ?? null,
      actor: auth.userId,
      payload: { action, reason, role: auth.role },
      occurredAt: deps.clock(),
    }),
  );
  throw new AppError("FORBIDDEN", {
    userMessage:
      reason === "conflicted" ? "you are excluded from this case (conflict of interest)" : "not allowed",
    details: { reason },
  });
}

/** Organisation-wide actions (user admin, ledger verification, listing). @throws AppError FORBIDDEN */
export async function authorizeAction(deps: AuthorizeDeps, auth: AuthContext, action: Action): Promise<void> {
  if (!roleMay(auth.role, action)) {
    await refuse(deps, auth, action, "role");
  }
}

/**
 * A case action: role gate, then case gate. Returns the case reference (the ledger's case key).
 * @throws AppError NOT_FOUND when the case does not exist, FORBIDDEN when refused (ledgered)
 */
export async function authorizeCaseAction(
  deps: AuthorizeDeps,
  auth: AuthContext,
  action: Action,
  caseId: string,
): Promise<{ reference: string }> {
  const facts = await deps.caseFacts.access(auth, caseId);
  if (!facts) {
    throw new AppError("NOT_FOUND", { userMessage: "no such case" });
  }
  const ref = facts.reference;
  if (!roleMay(auth.role, action)) {
    return refuse(deps, auth, action, "role", ref);
  }
  // An administrator manages assignments and conflicts without reading the case.
  if (auth.role === "admin" && ADMIN_CASE_ACTIONS.has(action)) {
    return { reference: ref };
  }
  if (facts.conflicts.length > 0) {
    return refuse(deps, auth, action, "conflicted", ref);
  }
  if (facts.assigned) {
    return { reference: ref };
  }
  for (const rule of ROLE_WIDE_RULES) {
    if (rule.role !== auth.role) {
      continue;
    }
    if (rule.when === "referred" && facts.referred) {
      return { reference: ref };
    }
    if (rule.when === "in_intake" && facts.inIntake) {
      return { reference: ref };
    }
  }
  return refuse(deps, auth, action, auth.role === "oversight" ? "not_referred" : "not_assigned", ref);
}
