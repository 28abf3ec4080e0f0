/**
 * @module auth.routes
 * Sign-in (rate limited, lockout), session read, sign-out; OIDC start and callback when configured.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { SessionResponseSchema, SignInRequestSchema } from "../../contract/api-auth.ts";
import { ErrorBodySchema, OkSchema } from "../../contract/api-common.ts";
import { finishOidcFlow, openFlow, sealFlow, startOidcFlow } from "../../services/oidc-client.ts";
import { signInOidc } from "../../services/sign-in-oidc.ts";
import { signIn } from "../../services/sign-in.ts";
import { z } from "zod";
import { signOut } from "../../services/sign-out.ts";
import { presentUser } from "../../services/account-presenter.ts";
import { findUserById } from "../../storage/repositories/user.repository.ts";
import { AppError } from "../../contract/errors.ts";
import type { AppDeps } from "../deps.ts";
import { clearSessionCookie, requireAuth, setSessionCookie } from "../plugins/auth.ts";

const OIDC_COOKIE = "upstander_oidc";

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

    app.get(
      "/oidc/start",
      {
        schema: {
          summary: "Start single sign-on (redirects to the identity provider)",
          tags: ["auth"],
          response: { 302: z.null(), 404: ErrorBodySchema },
        },
      },
      async (_req, reply) => {
        const oidc = deps.config.oidc;
        if (!oidc) {
          throw new AppError("NOT_FOUND", { userMessage: "single sign-on is not configured" });
        }
        const r = await startOidcFlow(oidc, deps.clock());
        // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
        void reply.setCookie(OIDC_COOKIE, sealFlow(deps.sessionSecret, r.flow), {
          httpOnly: true,
          sameSite: "lax",
          secure: deps.config.secureCookies,
          path: "/api/auth/oidc",
          maxAge: 600,
        });
        return reply.redirect(r.authorizationUrl, 302);
      },
    );
    app.get(
      "/oidc/callback",
      {
        schema: {
          summary: "Single sign-on callback",
          tags: ["auth"],
          response: { 302: z.null(), 401: ErrorBodySchema, 404: ErrorBodySchema },
        },
      },
      async (req, reply) => {
        const oidc = deps.config.oidc;
        if (!oidc) {
          throw new AppError("NOT_FOUND", { userMessage: "single sign-on is not configured" });
        }
        const flow = openFlow(deps.sessionSecret, req.cookies[OIDC_COOKIE], deps.clock());
        void reply.clearCookie(OIDC_COOKIE, { path: "/api/auth/oidc" });
        const callback = new URL(req.url, oidc.redirectUri);
        const identity = await finishOidcFlow(oidc, flow, callback).catch((e: unknown) => {
          if (e instanceof AppError) {
            throw e;
          }
          throw new AppError("UNAUTHENTICATED", {
            userMessage: "the identity provider's answer was not accepted",
            cause: e,
          });
        });
        const r = await signInOidc(
          {
            db: deps.db,
            clock: deps.clock,
            session: { secret: deps.sessionSecret, ttlMinutes: deps.config.sessionTtlMinutes },
          },
          deps.orgId,
          identity,
        );
        setSessionCookie(reply, deps, r.sessionId, new Date(r.expiresAt));
        return reply.redirect("/", 302);
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
