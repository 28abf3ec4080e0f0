/**
 * @module transitions
 * Decides whether a move is legal: it exists in the workflow from the current state, the actor holds a
 * role allowed to make it, and its guard is satisfied. Pure; the services turn a refusal into an AppError.
 */
import type { GuardEvidence } from "./decisions.ts";
import type { Guard, TransitionDef, WorkflowDefinition } from "./workflow-definition.ts";
import { hasAnyRole, type Actor } from "./roles.ts";

export type TransitionCheck =
  { ok: true; transition: TransitionDef } | { ok: false; code: "CONFLICT" | "FORBIDDEN"; message: string };

/** The states reachable in one move from `state`. */
export function allowedMoves(def: WorkflowDefinition, state: string): string[] {
  return def.transitions.filter((t) => t.from === state).map((t) => t.to);
}

const GUARD_TEXT: Readonly<Record<Guard, string>> = {
  triage_recorded: "a triage decision of recorded_conduct_matter or recorded_complaint with a rationale",
  triage_not_recorded_reviewed:
    "a not_recorded decision with a rationale, confirmed by a second reviewer, with notice to the reporter",
  referral_required: "a complete referral check with at least one mandatory category answered yes",
  referral_not_required: "a complete referral check with every mandatory category answered no",
  severity: "a severity (misconduct or gross_misconduct)",
  investigation_mode: "an investigation mode (local, directed or independent)",
  outcome: "an outcome of the meeting or hearing",
  list: "the list the subject goes on (barred or advisory)",
};

/** Whether the evidence satisfies a guard. */
export function guardSatisfied(guard: Guard, ev: GuardEvidence): boolean {
  switch (guard) {
    case "triage_recorded":
      return ev.triageDecision === "recorded_conduct_matter" || ev.triageDecision === "recorded_complaint";
    case "triage_not_recorded_reviewed":
      return ev.triageDecision === "not_recorded" && ev.triageReviewed === true;
    case "referral_required":
      return ev.referralRequired === true;
    case "referral_not_required":
      return ev.referralRequired === false;
    case "severity":
      return ev.severity !== undefined;
    case "investigation_mode":
      return ev.investigationMode !== undefined;
    case "outcome":
      return ev.outcome !== undefined;
    case "list":
      return ev.listKind !== undefined;
  }
}

/** What a guard asks for, in words (for error messages). */
export function describeGuard(guard: Guard): string {
  return GUARD_TEXT[guard];
}

/**
 * Checks one move. The message of a refusal names the current state and the moves allowed from it.
 * @param evidence what the acting use case has established for the guards
 */
export function checkTransition(
  def: WorkflowDefinition,
  from: string,
  to: string,
  actor: Actor,
  evidence: GuardEvidence = {},
): TransitionCheck {
  const t = def.transitions.find((x) => x.from === from && x.to === to);
  if (!t) {
    const moves = allowedMoves(def, from);
    const allowed = moves.length > 0 ? `allowed moves: ${moves.join(", ")}` : "it is final: no moves allowed";
    return { ok: false, code: "CONFLICT", message: `cannot move from '${from}' to '${to}'; ${allowed}` };
  }
  if (!hasAnyRole(actor, t.roles)) {
    return {
      ok: false,
      code: "FORBIDDEN",
      message: `moving from '${from}' to '${to}' needs one of the roles: ${t.roles.join(", ")}`,
    };
  }
  if (t.guard && !guardSatisfied(t.guard, evidence)) {
    return {
      ok: false,
      code: "CONFLICT",
      message: `moving from '${from}' to '${to}' needs ${describeGuard(t.guard)}`,
    };
  }
  return { ok: true, transition: t };
}

/** Problems in a workflow definition (unknown states, unreachable states); empty when it is sound. */
export function validateWorkflow(def: WorkflowDefinition): string[] {
  const ids = new Set(def.states.map((s) => s.id));
  const problems: string[] = [];
  if (!ids.has(def.initial)) problems.push(`initial state '${def.initial}' is not defined`);
  for (const t of def.transitions) {
    if (!ids.has(t.from)) problems.push(`transition from unknown state '${t.from}'`);
    if (!ids.has(t.to)) problems.push(`transition to unknown state '${t.to}'`);
    if (t.roles.length === 0) problems.push(`transition ${t.from} -> ${t.to} allows nobody`);
  }
  const seen = new Set([def.initial]);
  const queue = [def.initial];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const to of allowedMoves(def, s)) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  for (const s of def.states) {
    if (!seen.has(s.id)) problems.push(`state '${s.id}' cannot be reached`);
    if (!s.terminal && allowedMoves(def, s.id).length === 0) problems.push(`state '${s.id}' is a dead end`);
  }
  return problems;
}
