/**
 * @module oidc-client
 * OpenID Connect sign-in (authorization code + PKCE, openid-client 6). The flow state (PKCE verifier,
 * state, nonce-free since PKCE and state bind the response) travels in a short-lived cookie signed with the
 * session secret, so any api process can finish a flow another one started.
 */
import { createHmac } from "node:crypto";
import * as oidc from "openid-client";
import { z } from "zod";
import { AppError } from "../contract/errors.ts";
import { tokensEqual } from "./session-token.ts";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  scopes: string;
}

const FlowSchema = z.object({ state: z.string(), verifier: z.string(), exp: z.number() });
export type OidcFlow = z.infer<typeof FlowSchema>;

/** http issuers are accepted only on loopback (development and tests). */
function isLoopback(u: URL): boolean {
  return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
}

let cached: { key: string; config: Promise<oidc.Configuration> } | undefined;

/** Discovers the issuer once per process (the metadata is then reused). */
export function oidcConfiguration(s: OidcSettings): Promise<oidc.Configuration> {
  const key = `${s.issuer}|${s.clientId}`;
  if (cached?.key === key) {
    return cached.config;
  }
  const issuer = new URL(s.issuer);
  const config = oidc
    .discovery(issuer, s.clientId, s.clientSecret, undefined, {
      // The ID token comes straight from the token endpoint, which the spec lets a client trust on
      // TLS alone (openid-client's default); we also check its signature against the provider's JWKS,
      // so a token endpoint answering with a token the provider never signed is refused.
      execute: [...(isLoopback(issuer) ? [oidc.allowInsecureRequests] : []), oidc.enableNonRepudiationChecks],
    })
    .catch((e: unknown) => {
      cached = undefined;
      throw new AppError("CONFIG_INVALID", {
        userMessage: "the identity provider could not be reached or described itself wrongly",
        cause: e,
      });
    });
  cached = { key, config };
  return config;
}

/** Starts a flow: the URL to send the browser to, and the flow state for the cookie. */
export async function startOidcFlow(
  s: OidcSettings,
  now: Date,
): Promise<{ authorizationUrl: string; flow: OidcFlow }> {
  const config = await oidcConfiguration(s);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: s.redirectUri,
    scope: s.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  return { authorizationUrl: url.href, flow: { state, verifier, exp: now.getTime() + 10 * 60_000 } };
}

/** Finishes a flow: exchanges the code (checking state and PKCE) and returns the verified identity. */
export async function finishOidcFlow(
  s: OidcSettings,
  flow: OidcFlow,
  callbackUrl: URL,
): Promise<{ issuer: string; subject: string; email: string | null }> {
  const config = await oidcConfiguration(s);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
  });
  const claims = tokens.claims();
  if (!claims) {
    throw new AppError("UNAUTHENTICATED", { userMessage: "the identity provider sent no ID token" });
  }
  // Only an e-mail the provider says it verified may link an account: a missing email_verified claim is
  // not a yes (OIDC Core 5.1 makes it optional, and some providers leave it out for unverified addresses).
  const email = typeof claims.email === "string" && claims.email_verified === true ? claims.email : null;
  return { issuer: config.serverMetadata().issuer, subject: claims.sub, email };
}

/** The cookie value: base64url(JSON) + "." + HMAC. */
export function sealFlow(secret: string, flow: OidcFlow): string {
  const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(`oidc:${body}`).digest("base64url")}`;
}

/** @throws AppError UNAUTHENTICATED when the cookie is missing, forged or expired */
export function openFlow(secret: string, sealed: string | undefined, now: Date): OidcFlow {
  const refuse = () =>
    new AppError("UNAUTHENTICATED", { userMessage: "the sign-in attempt expired; start again" });
  if (!sealed) {
    throw refuse();
  }
  const [body, mac] = sealed.split(".");
  if (!body || !mac) {
    throw refuse();
  }
  const expected = createHmac("sha256", secret).update(`oidc:${body}`).digest("base64url");
  if (!tokensEqual(mac, expected)) {
    throw refuse();
  }
  const parsed = FlowSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  if (!parsed.success || parsed.data.exp < now.getTime()) {
    throw refuse();
  }
  return parsed.data;
}
