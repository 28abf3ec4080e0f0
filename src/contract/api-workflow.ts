/**
 * @module api-workflow
 * Subjects and allegations, workflow moves, triage (with second review), the referral check and clocks.
 * Enumerations owned by the configurable workflow (states, severities, outcomes) travel as strings and are
 * validated by the case services against the organisation's configuration.
 */
import { z } from "zod";

const Text = z.string().trim().min(1).max(20_000);
const Word = z.string().trim().min(1).max(100);

export const AllegationParamsSchema = z.object({ caseId: z.guid(), allegationId: z.guid() });
export const DecisionParamsSchema = z.object({ caseId: z.guid(), decisionId: z.guid() });
export const ClockParamsSchema = z.object({ caseId: z.guid(), clockId: z.guid() });

export const AddSubjectRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(300),
  status: z.enum(["officer", "staff", "contractor", "former_officer"]),
  roleTitle: z.string().trim().max(300).optional(),
  managers: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
  summary: Text,
});
export const AddedSubjectSchema = z.object({
  subjectId: z.string(),
  allegationId: z.string(),
  regime: z.string(),
  state: z.string(),
});

export const SubjectsSchema = z.object({
  subjects: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      status: z.string(),
      roleTitle: z.string().nullable(),
    }),
  ),
  allegations: z.array(
    z.object({
      id: z.string(),
      subjectId: z.string(),
      regime: z.string(),
      state: z.string(),
      summary: z.string(),
      severity: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const TransitionRequestSchema = z.strictObject({
  to: Word,
  reason: z.string().trim().max(10_000).optional(),
  severity: Word.optional(),
  investigationMode: Word.optional(),
  outcome: Word.optional(),
  listKind: Word.optional(),
});
export const TransitionResponseSchema = z.object({
  allegationId: z.string(),
  from: z.string(),
  to: z.string(),
  clocksStarted: z.array(z.string()),
  clocksStopped: z.array(z.string()),
  caseClosed: z.boolean(),
});

export const TriageRequestSchema = z.strictObject({
  decision: z.enum(["recorded_conduct_matter", "recorded_complaint", "not_recorded"]),
  rationale: Text,
  noticeToReporter: Text.optional(),
});
export const TriageResponseSchema = z.object({
  decisionId: z.string(),
  status: z.string(),
  state: z.string(),
});
export const TriageReviewRequestSchema = z.strictObject({ agree: z.boolean(), comment: Text });
export const TriageReviewResponseSchema = z.object({
  state: z.string(),
  noticeMessageIds: z.array(z.string()),
});

export const ReferralCheckRequestSchema = z.strictObject({
  answers: z
    .array(
      z.strictObject({ category: Word, answer: z.boolean(), note: z.string().trim().max(5000).optional() }),
    )
    .max(50),
});
export const ReferralCheckResponseSchema = z.object({
  checkId: z.string(),
  referralRequired: z.boolean(),
  state: z.string(),
});

export const ClocksSchema = z.object({
  clocks: z.array(
    z.object({
      id: z.string(),
      allegationId: z.string().nullable(),
      kind: z.string(),
      startedAt: z.string(),
      dueAt: z.string(),
      metAt: z.string().nullable(),
      stoppedAt: z.string().nullable(),
    }),
  ),
  notifications: z.array(
    z.object({
      id: z.string(),
      clockId: z.string().nullable(),
      kind: z.string(),
      recipientRole: z.string(),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export const MeetClockRequestSchema = z.strictObject({ note: z.string().trim().max(5000).optional() });
export const MeetClockResponseSchema = z.object({ clocksStarted: z.array(z.string()) });
