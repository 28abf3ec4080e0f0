/**
 * @module victims
 * The victims track and the NDA register (DOMAIN.md section 4): the vocabularies and the rules that
 * decide whether a decision is consistent with what is known.
 */

export const IDENTIFICATION_STATUSES = [
  "not_attempted",
  "in_progress",
  "identified",
  "unidentifiable",
] as const;
export type IdentificationStatus = (typeof IDENTIFICATION_STATUSES)[number];

export const NOTIFICATION_DECISIONS = [
  "notified_support_offered",
  "not_notified_unidentifiable",
  "not_notified_risk",
  "declined",
] as const;
export type NotificationDecision = (typeof NOTIFICATION_DECISIONS)[number];

/** Why a notification decision contradicts the identification status (null when it is consistent). */
export function notificationInconsistency(
  decision: NotificationDecision,
  status: IdentificationStatus,
): string | null {
  switch (decision) {
    case "notified_support_offered":
    case "declined":
    case "not_notified_risk":
      return status === "identified"
        ? null
        : `${decision} needs the person identified first (status: ${status})`;
    case "not_notified_unidentifiable":
      return status === "unidentifiable"
        ? null
        : `identification must be recorded as unidentifiable (status: ${status})`;
  }
}

export const NDA_ASSESSMENTS = [
  "void_protected_disclosure",
  "void_victim_of_crime",
  "restricted",
  "valid",
] as const;
export type NdaAssessment = (typeof NDA_ASSESSMENTS)[number];

/**
 * Why an assessment cannot apply to an agreement (null when it can): the victim-of-crime rule covers
 * agreements made on or after its commencement day only.
 */
export function ndaAssessmentProblem(
  assessment: NdaAssessment,
  agreementDate: string,
  victimRuleFrom: string,
): string | null {
  if (assessment === "void_victim_of_crime" && agreementDate < victimRuleFrom) {
    return `the victim-of-crime rule applies to agreements made on or after ${victimRuleFrom}; this one is dated ${agreementDate}`;
  }
  return null;
}
