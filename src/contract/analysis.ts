/**
 * @module analysis
 * The machine-readable result of `upstander analyse`: who posted flagged content, who endorsed it, who
 * challenged it, who was active in the group and said nothing, and what that evidence is relevant to in
 * the conduct framework. Every claim carries the record indices (0-based positions in the export) that
 * support it, so an investigator can check each one against the original file.
 *
 * Wording rule: an export has no read receipts, so nothing here says anyone "saw" a message. "Active in
 * the window" means the person posted something else in that window, nothing more.
 */
import { z } from "zod";
import { IMAGE_CLASSES, ReasonSchema, STANCES, TEXT_CATEGORIES } from "./detection.ts";

export const ANALYSIS_SCHEMA_VERSION = "1.0.0";

/** Categories a flagged item can carry: the text categories plus the two image classes that flag. */
export const ITEM_CATEGORIES = [...TEXT_CATEGORIES, "image_explicit", "image_suggestive"] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export const ROLES = [
  "originator",
  "amplifier",
  "endorser",
  "challenger",
  "silent_bystander",
  "absent",
] as const;
export type Role = (typeof ROLES)[number];

const Index = z.number().int().nonnegative();
/** Local wall-clock time as written in the export, "YYYY-MM-DDTHH:MM:SS", no zone. */
const LocalTime = z.string();

export const ItemSourceSchema = z.object({
  kind: z.enum(["text", "image", "ocr"]),
  /** Attachment file name for image and OCR sources. */
  fileName: z.string().nullable(),
  categories: z.array(z.enum(ITEM_CATEGORIES)),
  reasons: z.array(ReasonSchema),
  scores: z.record(z.string(), z.number()),
});
export type ItemSource = z.infer<typeof ItemSourceSchema>;

export const ReplySchema = z.object({
  recordIndex: Index,
  participant: z.string(),
  timestamp: LocalTime,
  minutesAfter: z.number(),
  /** The platform marked this record as a quoted reply to the item (WhatsApp exports never do). */
  quoted: z.boolean(),
  stance: z.enum(STANCES),
  stanceScores: z.object({ challenge: z.number(), endorse: z.number(), neutral: z.number() }).nullable(),
});
export type Reply = z.infer<typeof ReplySchema>;

export const FlaggedItemSchema = z.object({
  id: z.string(),
  recordIndex: Index,
  participant: z.string(),
  timestamp: LocalTime,
  categories: z.array(z.enum(ITEM_CATEGORIES)),
  sources: z.array(ItemSourceSchema),
  role: z.enum(["originator", "amplifier"]),
  /** Why the item counts as amplification: earlier items by others it follows, or the same image reposted. */
  amplifies: z.array(z.object({ recordIndex: Index, reason: z.string() })),
  windowEnd: z.object({ recordIndex: Index.nullable(), timestamp: LocalTime.nullable() }),
  replies: z.array(ReplySchema),
  /** Participants who posted in the window, did not challenge and did not endorse. */
  silent: z.array(z.object({ participant: z.string(), recordIndices: z.array(Index) })),
  /** Members with no record in the window: nothing can be said about them for this item. */
  absent: z.array(z.string()),
  /** Participants who, going by the membership events, were not in the group at the time. */
  notMember: z.array(z.string()),
});
export type FlaggedItem = z.infer<typeof FlaggedItemSchema>;

export const RoleEvidenceSchema = z.object({
  count: z.number().int(),
  first: LocalTime.nullable(),
  last: LocalTime.nullable(),
  /** Records this participant wrote that support the role (for silent bystanders: their other posts). */
  records: z.array(Index),
  /** The flagged items (record indices) the role relates to. */
  items: z.array(Index),
});
export type RoleEvidence = z.infer<typeof RoleEvidenceSchema>;

export const ChallengeSchema = z.object({
  recordIndex: Index,
  itemRecordIndex: Index,
  timestamp: LocalTime,
  minutesAfter: z.number(),
  /** Author of the item challenged. */
  to: z.string(),
});

export const MembershipEventSchema = z.object({
  type: z.enum(["member_added", "member_joined", "member_left", "member_removed"]),
  recordIndex: Index,
  timestamp: LocalTime,
  /** Who added or removed them, when the event names someone else. */
  by: z.string().nullable(),
});
export type MembershipEvent = z.infer<typeof MembershipEventSchema>;

export const StandardRelevanceSchema = z.object({
  standard: z.string(),
  title: z.string(),
  /** "adverse": evidence that may tell against the person; "favourable": evidence that may tell for them. */
  direction: z.enum(["adverse", "favourable"]),
  basis: z.array(z.string()),
  rationale: z.string(),
  records: z.array(Index),
});
export type StandardRelevance = z.infer<typeof StandardRelevanceSchema>;

export const ParticipantSchema = z.object({
  key: z.string(),
  name: z.string(),
  messageCount: z.number().int(),
  firstActivity: LocalTime.nullable(),
  lastActivity: LocalTime.nullable(),
  roles: z.object({
    originator: RoleEvidenceSchema,
    amplifier: RoleEvidenceSchema,
    endorser: RoleEvidenceSchema,
    challenger: RoleEvidenceSchema,
    silent_bystander: RoleEvidenceSchema,
    absent: RoleEvidenceSchema,
  }),
  challenges: z.array(ChallengeSchema),
  membership: z.array(MembershipEventSchema),
  /** Standards the evidence is relevant to. Never a finding: that is for the decision maker. */
  standards: z.array(StandardRelevanceSchema),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const VictimTrackSchema = z.object({
  identified: z.string().nullable(),
  notificationDecision: z.enum(["pending", "notified", "not_notified"]),
  reason: z.string(),
});

export const ImageOccurrenceSchema = z.object({
  exportId: z.string(),
  recordIndex: Index,
  fileName: z.string(),
  sha256: z.string().nullable(),
  participant: z.string(),
  timestamp: LocalTime,
  class: z.enum(IMAGE_CLASSES).nullable(),
  realPersonLikely: z.boolean().nullable(),
  phash: z.string().nullable(),
});
export type ImageOccurrence = z.infer<typeof ImageOccurrenceSchema>;

export const ImageGroupSchema = z.object({
  id: z.string(),
  occurrences: z.array(ImageOccurrenceSchema),
  reasons: z.array(z.string()),
  victim: VictimTrackSchema,
});
export type ImageGroup = z.infer<typeof ImageGroupSchema>;

export const TargetReasonSchema = z.object({
  kind: z.enum(["participant_named", "other_name", "pronoun", "description"]),
  evidence: z.string(),
  explanation: z.string(),
});

export const TargetedMessageSchema = z.object({
  id: z.string(),
  recordIndex: Index,
  source: z.enum(["text", "ocr"]),
  participant: z.string(),
  timestamp: LocalTime,
  categories: z.array(z.enum(ITEM_CATEGORIES)),
  reasons: z.array(TargetReasonSchema),
  victim: VictimTrackSchema,
});
export type TargetedMessage = z.infer<typeof TargetedMessageSchema>;

export const TimelineSchema = z.object({
  weeks: z.array(z.string()),
  /** week → category → count of flagged items */
  flagged: z.record(z.string(), z.record(z.string(), z.number().int())),
  /** participant → week → messages posted */
  activity: z.record(z.string(), z.record(z.string(), z.number().int())),
});
export type Timeline = z.infer<typeof TimelineSchema>;

export const ConductSettingsSchema = z.object({
  windowMinutes: z.number().positive(),
  windowMessages: z.number().int().positive(),
  challengeThreshold: z.number().min(0).max(1),
  endorseThreshold: z.number().min(0).max(1),
  phashMaxDistance: z.number().int().nonnegative(),
  framework: z.string(),
});
export type ConductSettings = z.infer<typeof ConductSettingsSchema>;

export const ConductAnalysisSchema = z.object({
  settings: ConductSettingsSchema,
  participants: z.array(ParticipantSchema),
  items: z.array(FlaggedItemSchema),
  /** Messages the text model flagged that are challenging replies to an earlier item: kept out of the items. */
  counterSpeech: z.array(z.object({ recordIndex: Index, challenges: Index })),
  images: z.array(ImageGroupSchema),
  targeted: z.array(TargetedMessageSchema),
  timeline: TimelineSchema,
});
export type ConductAnalysis = z.infer<typeof ConductAnalysisSchema>;

export const ModelInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  thresholds: z.record(z.string(), z.number()),
});

export const ExportInfoSchema = z.object({
  fileName: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  format: z.string(),
  variant: z.string(),
  chatTitle: z.string().nullable(),
  dateOrder: z.string(),
  recordCount: z.number().int(),
  messageCount: z.number().int(),
  firstTimestamp: LocalTime.nullable(),
  lastTimestamp: LocalTime.nullable(),
  issueCount: z.number().int(),
  members: z.array(z.object({ path: z.string(), size: z.number().int(), sha256: z.string() })),
});

export const AcquisitionSchema = z.object({
  /** The evidence-store acquisition this analysis read, when the export was ingested first. */
  acquisitionId: z.string().nullable().default(null),
  acquiredAt: z.string().nullable().default(null),
  acquiredBy: z.string().nullable().default(null),
  caseRef: z.string().nullable(),
  scope: z.string().nullable(),
  analysedAt: z.string(),
  tool: z.string(),
});

/** A record as the report shows it: only what is needed to display context. */
export const ContextRecordSchema = z.object({
  index: Index,
  timestamp: LocalTime,
  author: z.string().nullable(),
  kind: z.enum(["message", "system"]),
  text: z.string(),
  attachments: z.array(z.string()),
});
export type ContextRecord = z.infer<typeof ContextRecordSchema>;

export const AnalysisReportSchema = z.object({
  schemaVersion: z.literal(ANALYSIS_SCHEMA_VERSION),
  export: ExportInfoSchema,
  acquisition: AcquisitionSchema,
  models: z.array(ModelInfoSchema),
  conduct: ConductAnalysisSchema,
  /** Records around each flagged item (five before, five after) and each reply, for the report. */
  context: z.array(ContextRecordSchema),
  limitations: z.array(z.string()),
  /** Stage timings in milliseconds. */
  timings: z.record(z.string(), z.number()),
});
export type AnalysisReport = z.infer<typeof AnalysisReportSchema>;
