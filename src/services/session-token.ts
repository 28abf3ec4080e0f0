/**
 * @module session-token
 * Session and CSRF tokens. The session id travels only in the cookie; the database keeps its HMAC under
 * the server's session secret, so a copy of the sessions table cannot be replayed as cookies.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A new random token, 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored form of a session id. */
export function hashSessionId(secret: string, sessionId: string): string {
  return createHmac("sha256", secret).update(sessionId).digest("hex");
}

/** Constant-time string comparison (CSRF token check). */
export function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
