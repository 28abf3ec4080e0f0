/**
 * @module workflow-definition
 * The case workflow as data: states, the moves between them, who may make each move and which guard
 * must hold. The default is England and Wales police (DOMAIN.md section 3, with the reflective-practice
 * sub-track); another organisation supplies its own definition of the same shape.
 */
import type { CaseRole } from "./roles.ts";

/**
 * Guards a move can require. Each is satisfied only by evidence a dedicated use case supplies (a typed
 * triage decision, a completed referral check, a recorded severity, outcome or list), so a generic
 * "move the case" call can never skip them.
 */
export const GUARDS = [
  /** A final triage decision of recorded_conduct_matter or recorded_complaint, with a rationale. */
  "triage_recorded",
  /** A not_recorded decision with a rationale, confirmed by a second, different reviewer. */
  "triage_not_recorded_reviewed",
  /** A referral check answering every mandatory category, at least one "yes". */
  "referral_required",
  /** A referral check answering every mandatory category, all "no". */
  "referral_not_required",
  /** A severity (misconduct or gross misconduct) stated for the investigation. */
  "severity",
  /** How the independent body directs the investigation (local, directed, independent). */
  "investigation_mode",
  /** The outcome of a meeting or hearing. */
  "outcome",
  /** Which list the subject goes on (barred or advisory). */
  "list",
] as const;
export type Guard = (typeof GUARDS)[number];

export interface StateDef {
  id: string;
  label: string;
  /** The sub-track the state belongs to. */
  track: "main" | "reflective_practice";
  terminal?: boolean;
}

export interface TransitionDef {
  from: string;
  to: string;
  /** Roles any one of which allows the move. */
  roles: readonly CaseRole[];
  guard?: Guard;
  /** Short description of the move for ledger entries and UIs. */
  label: string;
}

export interface WorkflowDefinition {
  id: string;
  name: string;
  initial: string;
  states: readonly StateDef[];
  transitions: readonly TransitionDef[];
}

const AA: readonly CaseRole[] = ["appropriate_authority"];
const INTAKE: readonly CaseRole[] = ["intake_officer", "appropriate_authority"];
const INV: readonly CaseRole[] = ["investigator", "appropriate_authority"];

const RP = ["rp_notice", "rp_account", "rp_fact_finding", "rp_discussion", "rp_action_report"] as const;

/** England and Wales police conduct workflow (Police (Conduct) Regulations 2020, Complaints and Misconduct Regulations 2020). */
export const ENGLAND_WALES_POLICE_WORKFLOW: WorkflowDefinition = {
  id: "england-wales-police-2020",
  name: "England and Wales police conduct (default)",
  initial: "received",
  states: [
    { id: "received", label: "Received", track: "main" },
    { id: "triage", label: "Triage", track: "main" },
    { id: "recorded", label: "Recorded", track: "main" },
    { id: "not_recorded", label: "Not recorded", track: "main" },
    { id: "referral_check", label: "Referral check", track: "main" },
    { id: "referred", label: "Referred to the independent body", track: "main" },
    { id: "severity_assessment", label: "Severity assessment", track: "main" },
    { id: "no_further_action", label: "No further action", track: "main" },
    { id: "investigation", label: "Investigation", track: "main" },
    { id: "paused_criminal", label: "Paused for criminal proceedings", track: "main" },
    { id: "report", label: "Investigation report: case to answer?", track: "main" },
    { id: "no_case_to_answer", label: "No case to answer", track: "main" },
    { id: "preparation", label: "Preparation for meeting or hearing", track: "main" },
    { id: "meeting", label: "Misconduct meeting", track: "main" },
    { id: "hearing", label: "Misconduct hearing", track: "main" },
    { id: "outcome", label: "Outcome", track: "main" },
    { id: "appeal", label: "Appeal", track: "main" },
    { id: "lists", label: "Barred or advisory list", track: "main" },
    { id: "closed", label: "Closed", track: "main", terminal: true },
    { id: "rp_notice", label: "Reflective practice: notice", track: "reflective_practice" },
    { id: "rp_account", label: "Reflective practice: subject's account", track: "reflective_practice" },
    { id: "rp_fact_finding", label: "Reflective practice: fact-finding", track: "reflective_practice" },
    { id: "rp_discussion", label: "Reflective practice: discussion", track: "reflective_practice" },
    { id: "rp_action_report", label: "Reflective practice: action report", track: "reflective_practice" },
    { id: "rp_complete", label: "Reflective practice: complete", track: "reflective_practice" },
  ],
  transitions: [
    { from: "received", to: "triage", roles: INTAKE, label: "start triage" },
    { from: "triage", to: "recorded", roles: INTAKE, guard: "triage_recorded", label: "record" },
    {
      from: "triage",
      to: "not_recorded",
      roles: INTAKE,
      guard: "triage_not_recorded_reviewed",
      label: "decide not to record",
    },
    { from: "not_recorded", to: "triage", roles: AA, label: "reconsider" },
    { from: "not_recorded", to: "closed", roles: INTAKE, label: "close" },
    { from: "recorded", to: "referral_check", roles: AA, label: "start referral check" },
    { from: "referral_check", to: "referred", roles: AA, guard: "referral_required", label: "refer" },
    {
      from: "referral_check",
      to: "severity_assessment",
      roles: AA,
      guard: "referral_not_required",
      label: "no referral required",
    },
    { from: "referred", to: "severity_assessment", roles: ["oversight"], label: "return for local handling" },
    {
      from: "referred",
      to: "investigation",
      roles: ["oversight"],
      guard: "investigation_mode",
      label: "direct an investigation",
    },
    { from: "severity_assessment", to: "no_further_action", roles: AA, label: "no further action" },
    { from: "severity_assessment", to: "rp_notice", roles: AA, label: "reflective practice" },
    { from: "severity_assessment", to: "investigation", roles: AA, guard: "severity", label: "investigate" },
    { from: "investigation", to: "paused_criminal", roles: INV, label: "pause for criminal proceedings" },
    { from: "paused_criminal", to: "investigation", roles: INV, label: "resume investigation" },
    { from: "investigation", to: "report", roles: ["investigator"], label: "submit investigation report" },
    {
      from: "investigation",
      to: "lists",
      roles: AA,
      guard: "list",
      label: "subject left during investigation",
    },
    { from: "report", to: "no_case_to_answer", roles: AA, label: "no case to answer" },
    { from: "report", to: "preparation", roles: AA, label: "case to answer" },
    { from: "report", to: "hearing", roles: AA, label: "accelerated hearing" },
    { from: "preparation", to: "meeting", roles: AA, label: "hold misconduct meeting" },
    { from: "preparation", to: "hearing", roles: AA, label: "hold misconduct hearing" },
    { from: "meeting", to: "outcome", roles: AA, guard: "outcome", label: "record outcome" },
    { from: "hearing", to: "outcome", roles: AA, guard: "outcome", label: "record outcome" },
    { from: "outcome", to: "appeal", roles: AA, label: "appeal lodged" },
    { from: "outcome", to: "lists", roles: AA, guard: "list", label: "place on list" },
    { from: "outcome", to: "closed", roles: AA, label: "close" },
    { from: "appeal", to: "lists", roles: AA, guard: "list", label: "place on list" },
    { from: "appeal", to: "closed", roles: AA, label: "close after appeal" },
    { from: "lists", to: "closed", roles: AA, label: "close" },
    { from: "no_further_action", to: "closed", roles: AA, label: "close" },
    { from: "no_case_to_answer", to: "closed", roles: AA, label: "close" },
    { from: "rp_notice", to: "rp_account", roles: INV, label: "notice given" },
    { from: "rp_account", to: "rp_fact_finding", roles: INV, label: "account received" },
    { from: "rp_fact_finding", to: "rp_discussion", roles: INV, label: "facts found" },
    { from: "rp_discussion", to: "rp_action_report", roles: INV, label: "discussion held" },
    { from: "rp_action_report", to: "rp_complete", roles: INV, label: "action report written" },
    { from: "rp_complete", to: "closed", roles: AA, label: "close" },
    ...RP.map((from): TransitionDef => ({
      from,
      to: "investigation",
      roles: AA,
      guard: "severity",
      label: "escalate",
    })),
  ],
};
