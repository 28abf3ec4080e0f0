import { describe, expect, it } from "vitest";
import type { GuardEvidence } from "./decisions.ts";
import { checkTransition, validateWorkflow } from "./transitions.ts";
import { ENGLAND_WALES_POLICE_WORKFLOW as WF } from "./workflow-definition.ts";
import type { Actor, CaseRole } from "./roles.ts";

// The expected moves, written independently from DOMAIN.md section 3 (so a change to the definition
// that drifts from the documented process fails here): "from>to role [guard]".
const EXPECTED = `
received>triage intake_officer
triage>recorded intake_officer triage_recorded
triage>not_recorded intake_officer triage_not_recorded_reviewed
not_recorded>triage appropriate_authority
not_recorded>closed intake_officer
recorded>referral_check appropriate_authority
referral_check>referred appropriate_authority referral_required
referral_check>severity_assessment appropriate_authority referral_not_required
referred>severity_assessment oversight
referred>investigation oversight investigation_mode
severity_assessment>no_further_action appropriate_authority
severity_assessment>rp_notice appropriate_authority
severity_assessment>investigation appropriate_authority severity
investigation>paused_criminal investigator
paused_criminal>investigation investigator
investigation>report investigator
investigation>lists appropriate_authority list
report>no_case_to_answer appropriate_authority
report>preparation appropriate_authority
report>hearing appropriate_authority
preparation>meeting appropriate_authority
preparation>hearing appropriate_authority
meeting>outcome appropriate_authority outcome
hearing>outcome appropriate_authority outcome
outcome>appeal appropriate_authority
outcome>lists appropriate_authority list
outcome>closed appropriate_authority
appeal>lists appropriate_authority list
appeal>closed appropriate_authority
lists>closed appropriate_authority
no_further_action>closed appropriate_authority
no_case_to_answer>closed appropriate_authority
rp_notice>rp_account investigator
rp_account>rp_fact_finding investigator
rp_fact_finding>rp_discussion investigator
rp_discussion>rp_action_report investigator
rp_action_report>rp_complete investigator
rp_complete>closed appropriate_authority
rp_notice>investigation appropriate_authority severity
rp_account>investigation appropriate_authority severity
rp_fact_finding>investigation appropriate_authority severity
rp_discussion>investigation appropriate_authority severity
rp_action_report>investigation appropriate_authority severity
`
  .trim()
  .split("\n")
  .map((line) => {
    const [pair = "", role = "", guard] = line.split(" ");
    const [from = "", to = ""] = pair.split(">");
    return { from, to, role, guard };
  });

const FULL_EVIDENCE: Record<string, GuardEvidence> = {
  triage_recorded: { triageDecision: "recorded_conduct_matter" },
  triage_not_recorded_reviewed: { triageDecision: "not_recorded", triageReviewed: true },
  referral_required: { referralRequired: true },
  referral_not_required: { referralRequired: false },
  severity: { severity: "gross_misconduct" },
  investigation_mode: { investigationMode: "independent" },
  outcome: { outcome: "final_written_warning" },
  list: { listKind: "barred" },
};

const actor = (role: string): Actor => ({ userId: "u1", roles: [role as CaseRole] });
const everyone: Actor = {
  userId: "u1",
  roles: [
    "reporter",
    "intake_officer",
    "investigator",
    "appropriate_authority",
    "protection_officer",
    "victim_liaison",
    "oversight",
    "admin",
  ],
};

describe("default workflow", () => {
  it("should be a sound definition", () => {
    expect(validateWorkflow(WF)).toEqual([]);
  });

  it.each(EXPECTED)("should allow $from -> $to for $role", ({ from, to, role, guard }) => {
    const ev = guard ? FULL_EVIDENCE[guard] : {};
    expect(checkTransition(WF, from, to, actor(role), ev)).toMatchObject({ ok: true });
  });

  it.each(EXPECTED.filter((e) => e.guard))(
    "should refuse $from -> $to without $guard",
    ({ from, to, guard }) => {
      const r = checkTransition(WF, from, to, everyone, {});
      expect(r).toMatchObject({ ok: false, code: "CONFLICT" });
      if (!r.ok) expect(r.message).toContain(`'${from}'`);
      expect(guard).toBeDefined();
    },
  );

  it.each(EXPECTED)("should refuse $from -> $to to a reporter and an admin", ({ from, to, guard }) => {
    const ev = guard ? FULL_EVIDENCE[guard] : {};
    const r = checkTransition(WF, from, to, { userId: "u1", roles: ["reporter", "admin"] }, ev);
    expect(r).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("should refuse every move that is not in the table, naming the state and the allowed moves", () => {
    const legal = new Set(EXPECTED.map((e) => `${e.from}>${e.to}`));
    const ev = Object.assign({}, ...Object.values(FULL_EVIDENCE)) as GuardEvidence;
    let refused = 0;
    for (const a of WF.states) {
      for (const b of WF.states) {
        const r = checkTransition(WF, a.id, b.id, everyone, ev);
        if (legal.has(`${a.id}>${b.id}`)) continue;
        expect(r, `${a.id} -> ${b.id}`).toMatchObject({ ok: false, code: "CONFLICT" });
        if (!r.ok) expect(r.message).toMatch(new RegExp(`^cannot move from '${a.id}' to '${b.id}'; `));
        refused++;
      }
    }
    expect(refused).toBe(WF.states.length ** 2 - legal.size);
    expect(WF.transitions).toHaveLength(legal.size);
  });

  it("should list the allowed moves in the refusal", () => {
    const r = checkTransition(WF, "triage", "investigation", everyone);
    expect(r).toEqual({
      ok: false,
      code: "CONFLICT",
      message: "cannot move from 'triage' to 'investigation'; allowed moves: recorded, not_recorded",
    });
    const closed = checkTransition(WF, "closed", "triage", everyone);
    expect(closed).toMatchObject({ ok: false, message: expect.stringContaining("final") as unknown });
  });

  it("should refuse a not_recorded decision that no second reviewer confirmed", () => {
    const r = checkTransition(WF, "triage", "not_recorded", everyone, { triageDecision: "not_recorded" });
    expect(r).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});
