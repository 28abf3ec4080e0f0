/**
 * @module auth.routes
 * Sign-in (rate limited, lockout), session read, sign-out; OIDC start and callback when configured.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { SessionResponseSchema, SignInRequestSchema } from "../../contract/api-auth.ts";
import { ErrorBodySchema, OkSchema } from "../../contract/api-common.ts";
import { signIn } from "../../services/sign-in.ts";
import { signOut } from "../../services/sign-out.ts";
import { presentUser } from "../../services/account-presenter.ts";
import { findUserById } from "../../storage/repositories/user.repository.ts";
import { AppError } from "../../contract/errors.ts";
import type { AppDeps } from "../deps.ts";
import { clearSessionCookie, requireAuth, setSessionCookie } from "../plugins/auth.ts";

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      "/sign-in",
      {
        config: { rateLimit: { max: deps.config.rateLimits.signInPerMinute, timeWindow: 60_000 } },
        schema: {
          summary: "Sign in with e-mail and password",
          tags: ["auth"],
          body: SignInRequestSchema,
          response: { 200: SessionResponseSchema, 401: ErrorBodySchema },
        },
      },
      async (req, reply) => {
        const r = await signIn(
          {
            db: deps.db,
            hasher: deps.hasher,
            clock: deps.clock,
            session: { secret: deps.sessionSecret, ttlMinutes: deps.config.sessionTtlMinutes },
            lockout: deps.config.lockout,
          },
          deps.orgId,
          req.body,
        );
        setSessionCookie(reply, deps, r.sessionId, new Date(r.expiresAt));
        return { user: r.user, csrfToken: r.csrfToken, expiresAt: r.expiresAt };
      },
    );

    app.get(
      "/session",
      {
        schema: {
          summary: "The signed-in user and the CSRF token",
          tags: ["auth"],
          response: { 200: SessionResponseSchema, 401: ErrorBodySchema },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const u = await findUserById(deps.db, auth.orgId, auth.userId);
        if (!u) {
          throw new AppError("UNAUTHENTICATED", { userMessage: "sign in first" });
        }
        return {
          user: presentUser(u, deps.clock()),
          csrfToken: auth.csrfToken,
          expiresAt: auth.expiresAt.toISOString(),
        };
      },
    );

    app.post(
      "/sign-out",
      {
        schema: {
          summary: "End the session",
          tags: ["auth"],
          response: { 200: OkSchema, 401: ErrorBodySchema },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await signOut(deps, auth);
        clearSessionCookie(reply, deps);
        return { ok: true as const };
      },
    );
    return Promise.resolve();
  };
}
