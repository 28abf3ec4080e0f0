/**
 * @module framework
 * Maps roles and content categories to the standards of a conduct framework. The default is the
 * Standards of Professional Behaviour (Police (Conduct) Regulations 2020, Schedule 2); another framework
 * (police staff, a contractor's code) is the same shape passed in. The output says the evidence is
 * "relevant to" a standard: whether a standard was breached is for the decision maker.
 */
import type { ItemCategory, Role } from "../../contract/analysis.ts";

export interface FrameworkRule {
  roles: Role[];
  /** The rule applies only to items carrying one of these categories; omitted: any item. */
  categories?: ItemCategory[];
  standards: string[];
  direction: "adverse" | "favourable";
  rationale: string;
}

export interface ConductFramework {
  id: string;
  name: string;
  standards: Record<string, string>;
  rules: FrameworkRule[];
}

const DISCRIMINATORY: ItemCategory[] = ["sexual", "misogyny", "racism", "homophobia"];

/** Standards of Professional Behaviour (England and Wales police), DOMAIN.md section 2. */
export const STANDARDS_OF_PROFESSIONAL_BEHAVIOUR: ConductFramework = {
  id: "spb-2020",
  name: "Standards of Professional Behaviour (Police (Conduct) Regulations 2020, Sch. 2)",
  standards: {
    "1": "Honesty and integrity",
    "2": "Authority, respect and courtesy",
    "3": "Equality and diversity",
    "4": "Use of force",
    "5": "Orders and instructions",
    "6": "Duties and responsibilities",
    "7": "Confidentiality",
    "8": "Fitness for work",
    "9": "Discreditable conduct",
    "10": "Challenging and reporting improper conduct",
  },
  rules: [
    {
      roles: ["originator", "amplifier"],
      categories: DISCRIMINATORY,
      standards: ["3", "9", "2"],
      direction: "adverse",
      rationale: "posted sexualised, sexist, racist or homophobic content in a workplace group",
    },
    {
      roles: ["originator", "amplifier"],
      categories: ["image_explicit", "image_suggestive"],
      standards: ["9", "2"],
      direction: "adverse",
      rationale: "posted an explicit or suggestive image in a workplace group",
    },
    {
      roles: ["originator", "amplifier"],
      categories: ["derogatory"],
      standards: ["2", "9"],
      direction: "adverse",
      rationale: "posted demeaning remarks about a person or group",
    },
    {
      roles: ["originator", "amplifier"],
      categories: ["threat"],
      standards: ["2", "9"],
      direction: "adverse",
      rationale:
        "posted a threat or wished harm (standard 4, use of force, only if the threat concerns force in duty: not assessed here)",
    },
    {
      roles: ["endorser"],
      standards: ["10", "9"],
      direction: "adverse",
      rationale: "replied to flagged content with apparent approval instead of challenging it",
    },
    {
      roles: ["endorser"],
      categories: DISCRIMINATORY,
      standards: ["3"],
      direction: "adverse",
      rationale: "apparent approval of discriminatory content",
    },
    {
      roles: ["silent_bystander"],
      standards: ["10"],
      direction: "adverse",
      rationale:
        "posted other messages in the window after flagged content and no challenge by them appears in the export (a report made outside the chat would not appear)",
    },
    {
      roles: ["challenger"],
      standards: ["10"],
      direction: "favourable",
      rationale: "objected to flagged content in the group",
    },
  ],
};
