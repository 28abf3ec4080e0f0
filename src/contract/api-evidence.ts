/**
 * @module api-evidence
 * Evidence upload (multipart form: the scope fields and one `file` part) and evidence reads.
 */
import { z } from "zod";

const Opt = z.string().trim().max(2000).optional();

/** The text fields of the upload form. `scopeStatement` is required: nothing is taken without one. */
export const EvidenceUploadFieldsSchema = z.strictObject({
  scopeStatement: z.string().trim().min(1).max(5000),
  scopeChat: Opt,
  scopeDateFrom: z.iso.date().optional(),
  scopeDateTo: z.iso.date().optional(),
  scopeJustification: Opt,
  scopeAuthorisedBy: Opt,
  method: z.enum(["upload", "device_extraction", "provided_by_reporter", "other"]).default("upload"),
});
export type EvidenceUploadFields = z.infer<typeof EvidenceUploadFieldsSchema>;

export const EvidenceSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  originalName: z.string(),
  mediaType: z.string(),
  status: z.string(),
  failureReason: z.string().nullable(),
  acquiredBy: z.string(),
  acquiredAt: z.string(),
  method: z.string(),
  scopeStatement: z.string(),
});
export const EvidenceListSchema = z.object({ evidence: z.array(EvidenceSchema) });

export const EvidenceUploadResponseSchema = z.object({
  evidence: EvidenceSchema.optional(),
  /** Set when the upload was queued (`?async=true`): poll GET /api/jobs/:id. */
  jobId: z.string().optional(),
  parsed: z.boolean().optional(),
  records: z.number().optional(),
});

export const EvidenceRecordsQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const EvidenceRecordsSchema = z.object({
  evidence: EvidenceSchema,
  total: z.number(),
  records: z.array(
    z.object({
      idx: z.number(),
      ts: z.string(),
      author: z.string().nullable(),
      kind: z.string(),
      body: z.string(),
      attachments: z.array(z.string()),
      deleted: z.boolean(),
      edited: z.boolean(),
    }),
  ),
});

export const JobStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  progress: z.number(),
  progressMessage: z.string().nullable(),
  attempts: z.number(),
  failureReason: z.string().nullable(),
});

/** A reporter attaching a chat export to their report: what it is and why, in their words. */
export const ReporterEvidenceFieldsSchema = z.strictObject({
  scopeStatement: z.string().trim().min(1).max(5000),
  scopeChat: Opt,
  scopeDateFrom: z.iso.date().optional(),
  scopeDateTo: z.iso.date().optional(),
});
/** The same, for an anonymous reporter, who proves the report is theirs with the receipt code and passphrase. */
export const AnonymousEvidenceFieldsSchema = ReporterEvidenceFieldsSchema.extend({
  receiptCode: z.string().min(1).max(100),
  passphrase: z.string().min(1).max(200),
});
export const ReporterEvidenceResponseSchema = z.object({
  received: z.literal(true),
  sha256: z.string(),
  parsed: z.boolean(),
});
