/**
 * The whole OIDC sign-in, end to end, against a local identity provider running in this process
 * (Fastify on 127.0.0.1): discovery document, a JWKS holding an RSA key made with node:crypto, an
 * authorization endpoint that redirects back with a code, and a token endpoint that checks the client
 * secret and the PKCE verifier and returns an RS256-signed ID token. The API's real start and callback
 * routes drive openid-client; nothing in the API is stubbed. Also the guards on their own: the start
 * redirect's parameters and flow cookie, a callback without the cookie or with a forged one, and 404 when
 * single sign-on is not configured.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chainPendingLedger, readLedger } from "../../src/storage/repositories/ledger.repository.ts";
import { findUserById } from "../../src/storage/repositories/user.repository.ts";
import { createTestApp, ORG, type TestApp } from "../helpers/test-app.ts";

const CLIENT_ID = "upstander-e2e";
const CLIENT_SECRET = "e2e-client-secret";
const REDIRECT = "http://127.0.0.1:3000/api/auth/oidc/callback";

/** Who the provider says signs in next, and how it misbehaves (if at all). */
interface NextLogin {
  sub: string;
  email?: string;
  /** The email_verified claim; "absent" leaves it out of the ID token. */
  emailVerified?: boolean | "absent";
  /** A nonce in the ID token although the client sent none (a token minted for another flow). */
  nonce?: string;
  /** Sign the ID token with a key the JWKS does not hold. */
  foreignKey?: boolean;
}

let next: NextLogin;
const codes = new Map<string, { login: NextLogin; challenge: string; redirectUri: string }>();
let issuer: FastifyInstance;
let base: string;
let t: TestApp;
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const foreign = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const KID = "e2e-key-1";

function b64url(v: Buffer | string): string {
  return Buffer.from(v).toString("base64url");
}

function idToken(login: NextLogin, key: KeyObject): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: KID }));
  const claims = b64url(
    JSON.stringify({
      iss: base,
      sub: login.sub,
      aud: CLIENT_ID,
      iat: now,
      exp: now + 300,
      ...(login.email ? { email: login.email } : {}),
      ...(login.email && login.emailVerified !== "absent"
        ? { email_verified: login.emailVerified ?? true }
        : {}),
      ...(login.nonce ? { nonce: login.nonce } : {}),
    }),
  );
  const signature = sign("sha256", Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${b64url(signature)}`;
}

beforeAll(async () => {
  issuer = Fastify();
  issuer.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
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
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    }),
  );
  issuer.get("/jwks", () =>
    Promise.resolve({
      keys: [{ ...publicKey.export({ format: "jwk" }), kid: KID, alg: "RS256", use: "sig" }],
    }),
  );
  // The user "consents" at once: back to the client with a one-time code bound to the PKCE challenge.
  issuer.get<{ Querystring: Record<string, string> }>("/authorize", async (req, reply) => {
    const q = req.query;
    if (q.client_id !== CLIENT_ID || q.response_type !== "code" || q.code_challenge_method !== "S256") {
      return reply.status(400).send({ error: "invalid_request" });
    }
    const code = b64url(randomBytes(16));
    codes.set(code, { login: next, challenge: q.code_challenge ?? "", redirectUri: q.redirect_uri ?? "" });
    const back = new URL(q.redirect_uri ?? "");
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.state ?? "");
    return reply.redirect(back.href, 302);
  });
  issuer.post<{ Body: Record<string, string> }>("/token", async (req, reply) => {
    const b = req.body;
    const basic = req.headers.authorization?.startsWith("Basic ")
      ? Buffer.from(req.headers.authorization.slice(6), "base64")
          .toString()
          .split(":")
          .map(decodeURIComponent)
      : undefined;
    const [id, secret] = basic ?? [b.client_id, b.client_secret];
    const grant = codes.get(b.code ?? "");
    codes.delete(b.code ?? "");
    const challenge = createHash("sha256")
      .update(b.code_verifier ?? "")
      .digest("base64url");
    if (id !== CLIENT_ID || secret !== CLIENT_SECRET) {
      return reply.status(401).send({ error: "invalid_client" });
    }
    if (!grant || grant.challenge !== challenge || grant.redirectUri !== b.redirect_uri) {
      return reply.status(400).send({ error: "invalid_grant" });
    }
    return {
      access_token: b64url(randomBytes(16)),
      token_type: "Bearer",
      expires_in: 300,
      id_token: idToken(grant.login, grant.login.foreignKey ? foreign : privateKey),
    };
  });
  await issuer.listen({ host: "127.0.0.1", port: 0 });
  const addr = issuer.server.address();
  if (!addr || typeof addr === "string") {
    throw new Error("no address");
  }
  base = `http://127.0.0.1:${addr.port}`;
  t = await createTestApp({
    OIDC_ISSUER: base,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URI: REDIRECT,
  });
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});
beforeEach(() => {
  next = { sub: "nobody" };
});

/** Start at the API, let the provider answer, return the callback path and the flow cookie. */
async function authorize(): Promise<{ callback: string; flowCookie: string }> {
  const start = await t.app.inject({ url: "/api/auth/oidc/start" });
  expect(start.statusCode).toBe(302);
  const flow = start.cookies.find((c) => c.name === "upstander_oidc");
  const res = await fetch(String(start.headers.location), { redirect: "manual" });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("location") ?? "");
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  return { callback: `${back.pathname}${back.search}`, flowCookie: String(flow?.value) };
}

async function callback(path: string, flowCookie: string) {
  return t.app.inject({ url: path, cookies: { upstander_oidc: flowCookie } });
}

async function ledgerEvents(type: string) {
  await chainPendingLedger(t.db);
  const out = [];
  for await (const e of readLedger(t.db, ORG)) {
    if (e.eventType === type) {
      out.push(e);
    }
  }
  return out;
}

describe("OIDC sign-in end to end", () => {
  it("should link a verified e-mail to its account, start a session, and sign the subject in again by subject", async () => {
    const user = t.users.investigator;
    next = { sub: "idp-subject-1", email: user.email.toUpperCase(), emailVerified: true };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/");
    const session = res.cookies.find((c) => c.name === "upstander_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Strict");
    // The flow cookie is spent.
    expect(res.cookies.find((c) => c.name === "upstander_oidc")?.value).toBe("");
    const me = await t.app.inject({
      url: "/api/auth/session",
      cookies: { upstander_session: String(session?.value) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ user: { id: string } }>().user.id).toBe(user.id);
    const linked = await ledgerEvents("user.oidc_linked");
    expect(linked.at(-1)?.payload).toEqual({ issuer: base, subject: "idp-subject-1" });
    expect((await findUserById(t.db, ORG, user.id))?.id).toBe(user.id);

    // Later: the provider vouches for the same subject with no e-mail at all; the link is enough.
    next = { sub: "idp-subject-1" };
    const again = await authorize();
    const res2 = await callback(again.callback, again.flowCookie);
    expect(res2.statusCode).toBe(302);
    const s2 = res2.cookies.find((c) => c.name === "upstander_session");
    const me2 = await t.app.inject({
      url: "/api/auth/session",
      cookies: { upstander_session: String(s2?.value) },
    });
    expect(me2.json<{ user: { id: string } }>().user.id).toBe(user.id);
  });

  it("should refuse a callback whose state does not match the flow cookie", async () => {
    next = { sub: "idp-subject-state", email: t.users.intake_officer.email };
    const { callback: path, flowCookie } = await authorize();
    const tampered = path.replace(/state=[^&]+/, "state=not-the-state");
    const res = await callback(tampered, flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
  });

  it("should refuse a callback finished with another flow's cookie (state and PKCE verifier belong to it)", async () => {
    next = { sub: "idp-subject-swap", email: t.users.intake_officer.email };
    const first = await authorize();
    const second = await authorize();
    const res = await callback(first.callback, second.flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
  });

  it("should refuse an ID token carrying a nonce the client never sent", async () => {
    next = { sub: "idp-subject-nonce", email: t.users.intake_officer.email, nonce: "replayed-nonce" };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
  });

  it("should refuse an ID token signed with a key the provider does not publish", async () => {
    next = { sub: "idp-subject-key", email: t.users.intake_officer.email, foreignKey: true };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
  });

  it("should not create an account for an unknown subject: refused and ledgered", async () => {
    next = { sub: "idp-stranger", email: "stranger@elsewhere.test" };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
    const failed = await ledgerEvents("auth.sign_in_failed");
    expect(failed.at(-1)?.payload).toMatchObject({
      method: "oidc",
      subject: "idp-stranger",
      reason: "no_matching_account",
    });
  });

  it("should not link an account through an e-mail the provider marks unverified", async () => {
    const user = t.users.oversight;
    next = { sub: "idp-unverified", email: user.email, emailVerified: false };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(401);
    const linked = await ledgerEvents("user.oidc_linked");
    expect(linked.some((e) => JSON.stringify(e.payload).includes("idp-unverified"))).toBe(false);
  });

  it("should not link an account through an e-mail whose verification the provider does not state", async () => {
    const user = t.users.oversight;
    next = { sub: "idp-unstated", email: user.email, emailVerified: "absent" };
    const { callback: path, flowCookie } = await authorize();
    const res = await callback(path, flowCookie);
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === "upstander_session")).toBeUndefined();
    const linked = await ledgerEvents("user.oidc_linked");
    expect(linked.some((e) => JSON.stringify(e.payload).includes("idp-unstated"))).toBe(false);
  });
});

describe("OIDC start and callback guards", () => {
  it("should redirect to the issuer with PKCE, state, client id and redirect URI", async () => {
    const res = await t.app.inject({ url: "/api/auth/oidc/start" });
    expect(res.statusCode).toBe(302);
    const loc = new URL(String(res.headers.location));
    expect(`${loc.origin}${loc.pathname}`).toBe(`${base}/authorize`);
    expect(loc.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(loc.searchParams.get("redirect_uri")).toBe(REDIRECT);
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
