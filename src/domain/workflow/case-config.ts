/**
 * @module case-config
 * Everything an organisation can configure about its case process, with the England and Wales defaults.
 */
import { DEFAULT_CALENDAR, DEFAULT_CLOCK_RULES, type CalendarConfig, type ClockRules } from "./clocks.ts";
import { DEFAULT_REFERRAL_CATEGORIES, type ReferralCategory } from "./referral-categories.ts";
import { DEFAULT_REGIME_BY_STATUS, type Regime, type SubjectStatus } from "./subjects.ts";
import { ENGLAND_WALES_POLICE_WORKFLOW, type WorkflowDefinition } from "./workflow-definition.ts";

export interface CaseConfig {
  /** Workflow given to new cases. */
  workflow: WorkflowDefinition;
  /** Every workflow a stored case may name (cases keep the workflow they were opened under). */
  workflows: Readonly<Record<string, WorkflowDefinition>>;
  clockRules: ClockRules;
  calendar: CalendarConfig;
  referralCategories: readonly ReferralCategory[];
  regimeByStatus: Readonly<Record<SubjectStatus, Regime>>;
  /** Case references are `${prefix}-${year}-${number padded to 6}`. */
  referencePrefix: string;
  /** Void-victim-of-crime assessments apply to agreements made on or after this day [verify]. */
  victimNdaRuleFrom: string;
}

export const DEFAULT_CASE_CONFIG: CaseConfig = {
  workflow: ENGLAND_WALES_POLICE_WORKFLOW,
  workflows: { [ENGLAND_WALES_POLICE_WORKFLOW.id]: ENGLAND_WALES_POLICE_WORKFLOW },
  clockRules: DEFAULT_CLOCK_RULES,
  calendar: DEFAULT_CALENDAR,
  referralCategories: DEFAULT_REFERRAL_CATEGORIES,
  regimeByStatus: DEFAULT_REGIME_BY_STATUS,
  referencePrefix: "UPS",
  victimNdaRuleFrom: "2025-10-01",
};

/** Formats a case reference, e.g. UPS-2026-000123. */
export function formatCaseReference(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, "0")}`;
}
