/**
 * @module api-cases
 * Request and response shapes for reports, the reporter inbox, cases, assignments, notes, messages and
 * identity. Strings are stored and returned verbatim (HTML included): escaping is the renderer's job.
 */
import { z } from "zod";
import { ApiLimits, RoleSchema } from "./api-common.ts";

const Text = z.string().trim().min(1).max(ApiLimits.longText);
const Identity = z.strictObject({
  fullName: z.string().trim().min(1).max(300),
  contact: z.string().trim().max(300).optional(),
});
const ReportCommon = {
  title: z.string().trim().min(1).max(ApiLimits.shortText).optional(),
  body: Text,
  /** The report is a disclosure: opens the protection track. */
  isDisclosure: z.boolean().default(true),
};

export const SubmitReportRequestSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("anonymous"), ...ReportCommon }),
  z.strictObject({ mode: z.literal("confidential"), identity: Identity, ...ReportCommon }),
  z.strictObject({ mode: z.literal("named"), identity: Identity, ...ReportCommon }),
]);
export type SubmitReportRequest = z.infer<typeof SubmitReportRequestSchema>;

export const SubmitReportResponseSchema = z.object({
  reference: z.string(),
  reportId: z.string(),
  /** Anonymous reports only: shown once, never stored in plain text. Keep both to read replies. */
  receiptCode: z.string().optional(),
  passphrase: z.string().optional(),
});

export const ReporterCredentialsSchema = z.strictObject({
  receiptCode: z.string().min(1).max(100),
  passphrase: z.string().min(1).max(200),
});
export const ReporterSendRequestSchema = z.strictObject({
  receiptCode: z.string().min(1).max(100),
  passphrase: z.string().min(1).max(200),
  body: Text,
});
export const ReporterMessageBodySchema = z.strictObject({ body: Text });

export const ReporterViewSchema = z.object({
  reference: z.string(),
  status: z.enum(["received", "being_assessed", "not_recorded", "in_progress", "closed"]),
  messages: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(["to_reporter", "from_reporter"]),
      kind: z.enum(["message", "acknowledgement", "feedback", "notice"]),
      body: z.string(),
      sentAt: z.string(),
    }),
  ),
});

export const CaseSummarySchema = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export const CaseListSchema = z.object({ cases: z.array(CaseSummarySchema) });

export const AssignmentSchema = z.object({
  userId: z.string(),
  role: z.string(),
  assignedBy: z.string(),
  assignedAt: z.string(),
});
export const AssignmentListSchema = z.object({ assignments: z.array(AssignmentSchema) });
export const AssignRequestSchema = z.strictObject({ userId: z.guid(), role: RoleSchema });
export const UnassignRequestSchema = z.strictObject({
  userId: z.guid(),
  role: RoleSchema,
  reason: z.string().trim().min(1).max(2000),
});
export const AssignResponseSchema = z.object({ created: z.boolean() });

export const ConflictMatchSchema = z.object({ source: z.string(), personKey: z.string(), label: z.string() });
export const ConflictCheckSchema = z.object({
  userId: z.string(),
  conflicted: z.boolean(),
  matches: z.array(ConflictMatchSchema),
});
export const ConflictDecisionRequestSchema = z.strictObject({
  userId: z.guid(),
  personKey: z.string().trim().min(1).max(300),
  decision: z.enum(["confirmed", "cleared"]),
  reason: z.string().trim().min(1).max(2000),
});

export const NoteSchema = z.object({
  id: z.string(),
  authorUserId: z.string(),
  body: z.string(),
  writtenAt: z.string(),
});
export const NoteListSchema = z.object({ notes: z.array(NoteSchema) });
export const AddNoteRequestSchema = z.strictObject({ body: Text });
export const IdResponseSchema = z.object({ id: z.string() });

export const StaffMessageRequestSchema = z.strictObject({
  body: Text,
  kind: z.enum(["message", "acknowledgement", "feedback"]).default("message"),
  reportId: z.guid().optional(),
});

export const RevealRequestSchema = z.strictObject({ purpose: z.string().trim().min(1).max(2000) });
export const RevealedIdentityListSchema = z.object({
  identities: z.array(
    z.object({
      reportId: z.string(),
      restricted: z.boolean(),
      fullName: z.string(),
      contact: z.string().nullable(),
    }),
  ),
});
export const IdentityGrantRequestSchema = z.strictObject({
  userId: z.guid(),
  grant: z.boolean(),
  reason: z.string().trim().min(1).max(2000),
});

export const LedgerEntrySchema = z.object({
  seq: z.number(),
  eventType: z.string(),
  caseRef: z.string().nullable(),
  actor: z.string(),
  occurredAt: z.string(),
  payload: z.unknown(),
  hash: z.string(),
});
export const LedgerListSchema = z.object({ entries: z.array(LedgerEntrySchema) });
export const LedgerVerifySchema = z.object({
  intact: z.boolean(),
  entries: z.number(),
  firstBrokenSeq: z.number().nullable().optional(),
  reason: z.string().nullable().optional(),
  lastHash: z.string().nullable().optional(),
  /** Events recorded but not yet in the hash chain (written while the check ran, or not chainable). */
  pending: z.number(),
  /** Seconds since the oldest pending event was written; null when none is pending. */
  oldestPendingAgeS: z.number().nullable(),
  /** A pending event is older than a minute: the chainer is not running or keeps failing. */
  stalled: z.boolean(),
  /** Chaining before the check failed; the check covers only what was already chained. */
  chainError: z.string().optional(),
});
