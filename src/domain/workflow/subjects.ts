/**
 * @module subjects
 * People a case is about and the disciplinary regime each falls under (DOMAIN.md section 2): one chat can
 * hold officers, staff, contractors and former officers, and each gets their own allegation.
 */

export const SUBJECT_STATUSES = ["officer", "staff", "contractor", "former_officer"] as const;
export type SubjectStatus = (typeof SUBJECT_STATUSES)[number];

export const REGIMES = [
  "police_conduct_regulations",
  "police_staff_procedures",
  "contract_and_vetting",
  "former_officer_rules",
] as const;
export type Regime = (typeof REGIMES)[number];

/** Default routing by status (England and Wales police). */
export const DEFAULT_REGIME_BY_STATUS: Readonly<Record<SubjectStatus, Regime>> = {
  officer: "police_conduct_regulations",
  staff: "police_staff_procedures",
  contractor: "contract_and_vetting",
  former_officer: "former_officer_rules",
};

/** The regime an allegation against a subject of this status is handled under. */
export function regimeFor(
  status: SubjectStatus,
  routing: Readonly<Record<SubjectStatus, Regime>> = DEFAULT_REGIME_BY_STATUS,
): Regime {
  return routing[status];
}
