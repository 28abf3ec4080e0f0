/**
 * @module api-auth
 * Sign-in, session and user-administration request and response shapes.
 */
import { z } from "zod";
import { ApiLimits, RoleSchema } from "./api-common.ts";

export const SignInRequestSchema = z.strictObject({
  email: z.email().max(ApiLimits.email),
  password: z.string().min(1).max(ApiLimits.passwordMax),
});
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const UserSchema = z.object({
  id: z.guid(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionResponseSchema = z.object({
  user: UserSchema,
  /** Send back as the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const CreateUserRequestSchema = z.strictObject({
  email: z.email().max(ApiLimits.email),
  displayName: z.string().trim().min(1).max(ApiLimits.shortText),
  role: RoleSchema,
  /** Omit for an account that signs in only through OIDC. */
  password: z.string().min(ApiLimits.passwordMin).max(ApiLimits.passwordMax).optional(),
  /** Phone number used to match the user against chat participants (conflict exclusion). */
  phone: z.string().max(40).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z.strictObject({
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  /** Clears a lockout. */
  unlock: z.literal(true).optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserListSchema = z.object({ users: z.array(UserSchema) });

export const OidcStartResponseSchema = z.object({ authorizationUrl: z.string() });
