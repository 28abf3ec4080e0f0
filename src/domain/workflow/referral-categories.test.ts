import { describe, expect, it } from "vitest";
import { DEFAULT_REFERRAL_CATEGORIES, evaluateReferralCheck } from "./referral-categories.ts";

const allNo = DEFAULT_REFERRAL_CATEGORIES.map((c) => ({ category: c.id, answer: false }));

describe("evaluateReferralCheck", () => {
  it("should require referral when any category is yes", () => {
    const answers = allNo.map((a) => (a.category === "discrimination" ? { ...a, answer: true } : a));
    expect(evaluateReferralCheck(answers)).toEqual({
      ok: true,
      referralRequired: true,
      yes: ["discrimination"],
    });
  });
  it("should not require referral when all are no", () => {
    expect(evaluateReferralCheck(allNo)).toMatchObject({ ok: true, referralRequired: false });
  });
  it("should report missing, duplicate and unknown categories", () => {
    const r = evaluateReferralCheck(
      [...allNo.slice(1), allNo[1] ?? allNo[0], { category: "x", answer: true }].filter(
        (a) => a !== undefined,
      ),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toContain(`category '${DEFAULT_REFERRAL_CATEGORIES[0]?.id}' not answered`);
      expect(r.problems).toContain("unknown category 'x'");
      expect(r.problems.some((p) => p.includes("answered twice"))).toBe(true);
    }
  });
});
