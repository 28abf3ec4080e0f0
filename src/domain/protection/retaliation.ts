/**
 * @module retaliation
 * The retaliation watch (DOMAIN.md section 4): adverse events about a reporter that follow their
 * disclosure are flagged for independent review, because the employer must show such a detriment was
 * justified. Protection, and so the watch, outlives the case's closure.
 */

export const ADVERSE_EVENT_KINDS = [
  "job_offer_withdrawn",
  "posting",
  "promotion_board",
  "appraisal",
  "vetting_review",
  "device_seizure_request",
  "sickness_referral",
  "complaint_against_reporter",
  "disciplinary_measure",
  "contract_not_renewed",
  "dismissal",
  "other",
] as const;
export type AdverseEventKind = (typeof ADVERSE_EVENT_KINDS)[number];

export const REVIEW_DECISIONS = ["justified", "not_justified", "refer_for_investigation"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ProtectionWindow {
  disclosedAt: Date;
  /** When protection was closed; null while it is open (the case itself may be closed). */
  closedAt: Date | null;
}

export type FlagResult = { flagged: true; reason: string } | { flagged: false; reason: string | null };

/** Whether an adverse event must go to independent review. */
export function flagAdverseEvent(occurredAt: Date, window: ProtectionWindow | undefined): FlagResult {
  if (!window) return { flagged: false, reason: "no disclosure on this case" };
  if (occurredAt.getTime() < window.disclosedAt.getTime()) {
    return { flagged: false, reason: "occurred before the disclosure" };
  }
  if (window.closedAt !== null && occurredAt.getTime() > window.closedAt.getTime()) {
    return { flagged: false, reason: "occurred after protection was closed" };
  }
  const days = Math.floor((occurredAt.getTime() - window.disclosedAt.getTime()) / 86_400_000);
  return { flagged: true, reason: `occurred ${days} day(s) after the disclosure, while protection was open` };
}

/**
 * Why a user may not review a flagged event (null when they may): the reviewer must be independent of
 * the recorder and of the people the disclosure was about.
 */
export function reviewerIneligibility(
  reviewer: { userId: string; personKeys: readonly string[] },
  event: { recordedBy: string },
  subjectKeys: readonly string[],
): string | null {
  if (reviewer.userId === event.recordedBy) return "the reviewer recorded the event";
  const subjects = new Set(subjectKeys);
  if (reviewer.personKeys.some((k) => k !== "" && subjects.has(k))) {
    return "the reviewer is a subject of the case";
  }
  return null;
}
