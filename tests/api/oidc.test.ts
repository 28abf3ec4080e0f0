/**
 * OIDC as far as it can be tested offline: a fake issuer (Fastify on 127.0.0.1) publishes its discovery
 * document; the start route must redirect to its authorization endpoint with PKCE (S256), state, the
 * client id and the redirect URI, and set a signed, http-only flow cookie; a callback without that
 * cookie, or with a forged one, is refused.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let issuer: FastifyInstance;
let t: TestApp;
let base: string;

beforeAll(async () => {
  issuer = Fastify();
  issuer.get("/.well-known/openid-configuration", () =>
    Promise.resolve({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
    }),
  );
  await issuer.listen({ host: "127.0.0.1", port: 0 });
  const addr = issuer.server.address();
  if (!addr || typeof addr === "string") {
    throw new Error("no address");
  }
  base = `http://127.0.0.1:${addr.port}`;
  t = await createTestApp({
    OIDC_ISSUER: base,
    OIDC_CLIENT_ID: "upstander-test",
    OIDC_CLIENT_SECRET: "s3cret",
    OIDC_REDIRECT_URI: "http://127.0.0.1:3000/api/auth/oidc/callback",
  });
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});

describe("OIDC sign-in", () => {
  it("should redirect to the issuer with PKCE, state, client id and redirect URI", async () => {
    const res = await t.app.inject({ url: "/api/auth/oidc/start" });
    expect(res.statusCode).toBe(302);
    const loc = new URL(String(res.headers.location));
    expect(`${loc.origin}${loc.pathname}`).toBe(`${base}/authorize`);
    expect(loc.searchParams.get("client_id")).toBe("upstander-test");
    expect(loc.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3000/api/auth/oidc/callback");
    expect(loc.searchParams.get("response_type")).toBe("code");
    expect(loc.searchParams.get("code_challenge_method")).toBe("S256");
    expect(loc.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loc.searchParams.get("state")).toBeTruthy();
    const c = res.cookies.find((x) => x.name === "upstander_oidc");
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe("Lax");
    // The verifier itself never appears in the URL.
    expect(String(c?.value)).not.toContain(loc.searchParams.get("code_challenge") ?? "x");
  });

  it("should refuse a callback without the flow cookie or with a forged one", async () => {
    const none = await t.app.inject({ url: "/api/auth/oidc/callback?code=abc&state=xyz" });
    expect(none.statusCode).toBe(401);
    const forged = Buffer.from(
      JSON.stringify({ state: "xyz", verifier: "v", exp: Date.now() + 60_000 }),
    ).toString("base64url");
    const res = await t.app.inject({
      url: "/api/auth/oidc/callback?code=abc&state=xyz",
      cookies: { upstander_oidc: `${forged}.bm90LWEtbWFj` },
    });
    expect(res.statusCode).toBe(401);
  });

  it("should answer 404 when single sign-on is not configured", async () => {
    const plain = await createTestApp();
    try {
      expect((await plain.app.inject({ url: "/api/auth/oidc/start" })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
