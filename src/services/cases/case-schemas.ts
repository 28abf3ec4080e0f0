/**
// z.guid(): ids are any 8-4-4-4-12 hex string (the default organisation id is not an RFC 4122 uuid).
 * @module case-schemas
 * zod pieces the case use cases share.
 */
import { z } from "zod";
import { CASE_ROLES } from "../../domain/workflow/roles.ts";

export const UuidSchema = z.guid();
export const ActorSchema = z.object({ userId: z.guid(), roles: z.array(z.enum(CASE_ROLES)).readonly() });
export const TextSchema = z.string().trim().min(1).max(20_000);
export const NowSchema = z.date().optional();
