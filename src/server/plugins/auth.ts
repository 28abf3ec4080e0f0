/**
 * @module auth
 * Cookie sessions and CSRF. `onRequest` resolves the session cookie into `request.auth`; every
 * state-changing request that carries a session must echo the session's synchronizer token in
 * `x-csrf-token`, otherwise it is refused before any handler runs. Routes call `requireAuth(req)`.
 */
import "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../contract/errors.ts";
import { resolveSession, type AuthContext } from "../../services/resolve-session.ts";
import { tokensEqual } from "../../services/session-token.ts";
import type { AppDeps } from "../deps.ts";

export const SESSION_COOKIE = "upstander_session";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest("auth", null);
  app.addHook("onRequest", async (req) => {
    // Anonymous-reporter routes never look at a session: nothing may tie the report to an account.
    if (req.routeOptions.config.anonymous) {
      return;
    }
    const sid = req.cookies[SESSION_COOKIE];
    if (!sid) {
      return;
    }
    const auth = await resolveSession(
      {
        db: deps.db,
        clock: deps.clock,
        secret: deps.sessionSecret,
        idleMinutes: deps.config.sessionIdleMinutes,
      },
      sid,
    );
    if (!auth) {
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !tokensEqual(sent, auth.csrfToken)) {
        throw new AppError("FORBIDDEN", {
          userMessage: "missing or wrong CSRF token (send the x-csrf-token header)",
          details: { reason: "csrf" },
        });
      }
    }
    req.auth = auth;
  });
}

/** @throws AppError UNAUTHENTICATED when the request has no valid session */
export function requireAuth(req: FastifyRequest): AuthContext {
  if (!req.auth) {
    throw new AppError("UNAUTHENTICATED", { userMessage: "sign in first" });
  }
  return req.auth;
}

export function setSessionCookie(
  reply: FastifyReply,
  deps: AppDeps,
  sessionId: string,
  expiresAt: Date,
): void {
  void reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: "strict",
    secure: deps.config.secureCookies,
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, deps: AppDeps): void {
  void reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "strict",
    secure: deps.config.secureCookies,
    path: "/",
  });
}
