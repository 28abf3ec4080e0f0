/**
 * @module policy
 * Which roles may attempt which action. This is the first gate; case actions then also need the case gate
 * (assigned, or a role-wide rule, and not conflicted), see services/authorize-case.ts. Pure data so the
 * authorisation matrix test can iterate over it.
 */

export type PolicyRole =
  | "reporter"
  | "intake_officer"
  | "investigator"
  | "appropriate_authority"
  | "protection_officer"
  | "victim_liaison"
  | "oversight"
  | "admin";

const CASE_STAFF = [
  "intake_officer",
  "investigator",
  "appropriate_authority",
  "protection_officer",
  "victim_liaison",
] as const satisfies readonly PolicyRole[];

export const POLICY = {
  "users.manage": ["admin"],
  "conflict.decide": ["admin"],
  "ledger.verify": ["oversight", "admin"],
  "case.list": [...CASE_STAFF, "oversight"],
  "case.read": [...CASE_STAFF, "oversight"],
  "case.ledger": [...CASE_STAFF, "oversight"],
  "case.clocks": [...CASE_STAFF, "oversight"],
  // Oversight directs referred cases (referred -> investigation); the workflow checks each move's roles.
  "case.transition": ["intake_officer", "investigator", "appropriate_authority", "oversight"],
  "clock.meet": [...CASE_STAFF],
  "subject.read": [...CASE_STAFF, "oversight"],
  "subject.write": ["intake_officer", "appropriate_authority", "investigator"],
  "triage.decide": ["intake_officer", "appropriate_authority"],
  "triage.review": ["appropriate_authority"],
  "referral.check": ["appropriate_authority"],
  "assignment.read": [...CASE_STAFF, "oversight", "admin"],
  "assignment.manage": ["appropriate_authority", "admin"],
  "note.read": [...CASE_STAFF],
  "note.write": [...CASE_STAFF],
  "message.read": [...CASE_STAFF],
  "message.send": [...CASE_STAFF],
  "evidence.upload": ["intake_officer", "investigator"],
  "evidence.read": ["investigator", "appropriate_authority", "victim_liaison", "oversight"],
  "job.read": [...CASE_STAFF, "admin"],
  "report.submit": ["reporter"],
  // The case team may ask; the service allows a confidential identity only to the protection officer
  // and those they granted, and ledgers each reveal and refusal.
  "identity.reveal": [...CASE_STAFF],
  "identity.grant": ["protection_officer"],
  "protection.read": ["protection_officer", "appropriate_authority", "oversight"],
  "protection.write": ["protection_officer"],
  "protection.record_event": [...CASE_STAFF],
  "protection.review": ["protection_officer", "appropriate_authority", "oversight"],
  "victim.read": ["victim_liaison", "investigator", "protection_officer", "appropriate_authority"],
  "victim.write": ["victim_liaison", "investigator", "protection_officer", "appropriate_authority"],
  "victim.decide": ["victim_liaison", "investigator", "appropriate_authority"],
  "nda.read": ["appropriate_authority", "protection_officer", "admin"],
  "nda.write": ["appropriate_authority", "protection_officer", "admin"],
  "link.read": ["investigator", "appropriate_authority", "oversight"],
  "link.write": ["investigator", "appropriate_authority"],
} as const satisfies Record<string, readonly PolicyRole[]>;

export type Action = keyof typeof POLICY;

/** True when the role may attempt the action at all. */
export function roleMay(role: PolicyRole, action: Action): boolean {
  const allowed: readonly PolicyRole[] = POLICY[action];
  return allowed.includes(role);
}

/** Actions that need no case gate (organisation-wide). */
export const ORG_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  "users.manage",
  "ledger.verify",
  "case.list",
  "conflict.decide",
  "report.submit",
]);

/**
 * Roles that reach a case without an assignment, and on which condition: oversight (the independent body)
 * sees only cases referred to it; an intake officer sees the intake queue (cases not yet past triage).
 */
export type RoleWideRule = { role: PolicyRole; when: "referred" | "in_intake" };
export const ROLE_WIDE_RULES: readonly RoleWideRule[] = [
  { role: "oversight", when: "referred" },
  { role: "intake_officer", when: "in_intake" },
];

/** Actions an administrator may take on a case without reading it. */
export const ADMIN_CASE_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  "assignment.read",
  "assignment.manage",
  "conflict.decide",
]);
