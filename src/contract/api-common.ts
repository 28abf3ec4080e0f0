/**
 * @module api-common
 * Shapes shared by every HTTP endpoint: the error body, roles, limits and id parameters.
 */
import { z } from "zod";
import { APP_ERROR_CODES } from "./errors.ts";

/** Roles, in the order the roles table in docs/API.md lists them. */
export const ROLES = [
  "reporter",
  "intake_officer",
  "investigator",
  "appropriate_authority",
  "protection_officer",
  "victim_liaison",
  "oversight",
  "admin",
] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Limits shared by the server and any client form. */
export const ApiLimits = {
  /** JSON bodies above this are refused with 413 before parsing. */
  jsonBodyBytes: 256 * 1024,
  shortText: 200,
  longText: 20_000,
  email: 254,
  passwordMin: 12,
  passwordMax: 256,
} as const;

/** The one error body every non-2xx response carries. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(APP_ERROR_CODES),
    message: z.string(),
    /** Per-field problems for INVALID_INPUT. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const IdParamsSchema = z.object({ id: z.guid() });
export const CaseIdParamsSchema = z.object({ caseId: z.guid() });

/** A plain acknowledgement for actions with nothing else to return. */
export const OkSchema = z.object({ ok: z.literal(true) });
