/**
 * @module referral-categories
 * The mandatory referral categories (Police (Complaints and Misconduct) Regulations 2020, reg 7 and
 * Schedule 3; DOMAIN.md section 2) as a configurable list. A referral check must answer every one.
 * [verify] the list against the current regulations before relying on it.
 */

export interface ReferralCategory {
  id: string;
  label: string;
}

export const DEFAULT_REFERRAL_CATEGORIES: readonly ReferralCategory[] = [
  { id: "death_or_serious_injury", label: "Death or serious injury following police contact" },
  { id: "serious_assault", label: "Serious assault by a person serving with the police" },
  { id: "serious_sexual_offence", label: "Serious sexual offence" },
  {
    id: "serious_corruption",
    label:
      "Serious corruption, including abuse of position for a sexual purpose or to pursue an improper relationship",
  },
  {
    id: "criminal_offence_aggravated",
    label:
      "Criminal offence or behaviour liable to lead to disciplinary proceedings aggravated by discriminatory behaviour",
  },
  {
    id: "discrimination",
    label: "Conduct aggravated by discrimination on grounds of race, sex, religion or other status",
  },
  { id: "chief_officer", label: "Conduct of a chief officer or the Deputy Commissioner" },
  { id: "relevant_offence", label: "A relevant offence (arrestable, with serious consequences)" },
];

export interface ReferralAnswer {
  category: string;
  answer: boolean;
  note?: string | undefined;
}

export type ReferralEvaluation =
  { ok: true; referralRequired: boolean; yes: string[] } | { ok: false; problems: string[] };

/** Checks that every configured category is answered exactly once and whether any answer requires referral. */
export function evaluateReferralCheck(
  answers: readonly ReferralAnswer[],
  categories: readonly ReferralCategory[] = DEFAULT_REFERRAL_CATEGORIES,
): ReferralEvaluation {
  const known = new Set(categories.map((c) => c.id));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of answers) {
    if (!known.has(a.category)) problems.push(`unknown category '${a.category}'`);
    else if (seen.has(a.category)) problems.push(`category '${a.category}' answered twice`);
    seen.add(a.category);
  }
  for (const c of categories) if (!seen.has(c.id)) problems.push(`category '${c.id}' not answered`);
  if (problems.length > 0) return { ok: false, problems };
  const yes = answers.filter((a) => a.answer).map((a) => a.category);
  return { ok: true, referralRequired: yes.length > 0, yes };
}
