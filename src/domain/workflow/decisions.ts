/**
 * @module decisions
 * The typed decisions the workflow's guards ask for.
 */

export const TRIAGE_DECISIONS = ["recorded_conduct_matter", "recorded_complaint", "not_recorded"] as const;
export type TriageDecision = (typeof TRIAGE_DECISIONS)[number];

export const SEVERITIES = ["misconduct", "gross_misconduct"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INVESTIGATION_MODES = ["local", "directed", "independent"] as const;
export type InvestigationMode = (typeof INVESTIGATION_MODES)[number];

export const OUTCOMES = [
  "no_action",
  "management_advice",
  "written_warning",
  "final_written_warning",
  "reduction_in_rank",
  "dismissal",
  "would_have_been_dismissed",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const LIST_KINDS = ["barred", "advisory"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** What the acting use case has established; each guard reads one field. */
export interface GuardEvidence {
  triageDecision?: TriageDecision;
  /** A second, different reviewer confirmed a not_recorded decision. */
  triageReviewed?: boolean;
  /** Result of a complete referral check. */
  referralRequired?: boolean;
  severity?: Severity;
  investigationMode?: InvestigationMode;
  outcome?: Outcome;
  listKind?: ListKind;
}
