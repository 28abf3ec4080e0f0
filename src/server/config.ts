/**
 * @module config
 * Server configuration from the environment, validated once at start. `loadConfig` collects ALL problems
 * so the operator fixes them in one go; `main.ts` prints them and exits.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

export const EnvSchema = z.object({
  UPSTANDER_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  UPSTANDER_DB_POOL_SIZE: int(10, 1, 200),
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  UPSTANDER_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  UPSTANDER_SESSION_TTL_MINUTES: int(480, 1, 60 * 24 * 30),
  /** A session unused for this long ends, whatever its absolute lifetime left. */
  UPSTANDER_SESSION_IDLE_MINUTES: int(30, 2, 60 * 24 * 30),
  UPSTANDER_LOCKOUT_ATTEMPTS: int(5, 1, 100),
  UPSTANDER_LOCKOUT_MINUTES: int(15, 1, 24 * 60),
  UPSTANDER_RATE_LIMIT_SIGNIN_PER_MINUTE: int(10, 1, 10_000_000),
  UPSTANDER_RATE_LIMIT_INTAKE_PER_MINUTE: int(20, 1, 10_000_000),
  UPSTANDER_RATE_LIMIT_PER_MINUTE: int(6000, 1, 10_000_000),
  UPSTANDER_UPLOAD_LIMIT_MB: int(512, 1, 100_000),
  /** Set when the server is reached over https (directly or behind a proxy): cookies become Secure. */
  UPSTANDER_PUBLIC_URL: z.url().optional(),
  UPSTANDER_TRUST_PROXY: bool.default(false),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.url().optional(),
  OIDC_SCOPES: z.string().default("openid email profile"),
});

/** Rules across variables, checked on the raw values so they are reported even when others are invalid. */
function crossProblems(e: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (e.DATABASE_URL && !e.UPSTANDER_SESSION_SECRET) {
    problems.push(
      "UPSTANDER_SESSION_SECRET: is required when DATABASE_URL is set (every api process must share it)",
    );
  }
  const ttl = Number(e.UPSTANDER_SESSION_TTL_MINUTES ?? 480);
  const idle = Number(e.UPSTANDER_SESSION_IDLE_MINUTES ?? 30);
  if (Number.isFinite(ttl) && Number.isFinite(idle) && idle > ttl) {
    problems.push(
      `UPSTANDER_SESSION_IDLE_MINUTES: ${idle} is longer than UPSTANDER_SESSION_TTL_MINUTES (${ttl}); the idle timeout must not exceed the session lifetime`,
    );
  }
  const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_REDIRECT_URI];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push("OIDC_ISSUER: OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI together");
  }
  return problems;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  scopes: string;
}

export interface AppConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
  port: number;
  host: string;
  /** Undefined until resolved by `resolveSessionSecret` for the embedded default. */
  sessionSecret: string | undefined;
  sessionTtlMinutes: number;
  sessionIdleMinutes: number;
  lockout: { attempts: number; minutes: number };
  rateLimits: { signInPerMinute: number; intakePerMinute: number; perMinute: number };
  uploadLimitBytes: number;
  secureCookies: boolean;
  trustProxy: boolean;
  oidc: OidcConfig | undefined;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** Parses the environment. Never throws: every problem is returned, one line each. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  // Empty strings count as unset (a blank line in an env file).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const r = EnvSchema.safeParse(cleaned);
  const problems = [
    ...(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`)),
    ...crossProblems(cleaned),
  ];
  if (!r.success || problems.length > 0) {
    return { ok: false, problems };
  }
  const e = r.data;
  return {
    ok: true,
    config: {
      dataDir: resolve(e.UPSTANDER_DATA_DIR),
      databaseUrl: e.DATABASE_URL,
      poolSize: e.UPSTANDER_DB_POOL_SIZE,
      port: e.PORT,
      host: e.HOST,
      sessionSecret: e.UPSTANDER_SESSION_SECRET,
      sessionTtlMinutes: e.UPSTANDER_SESSION_TTL_MINUTES,
      sessionIdleMinutes: e.UPSTANDER_SESSION_IDLE_MINUTES,
      lockout: { attempts: e.UPSTANDER_LOCKOUT_ATTEMPTS, minutes: e.UPSTANDER_LOCKOUT_MINUTES },
      rateLimits: {
        signInPerMinute: e.UPSTANDER_RATE_LIMIT_SIGNIN_PER_MINUTE,
        intakePerMinute: e.UPSTANDER_RATE_LIMIT_INTAKE_PER_MINUTE,
        perMinute: e.UPSTANDER_RATE_LIMIT_PER_MINUTE,
      },
      uploadLimitBytes: e.UPSTANDER_UPLOAD_LIMIT_MB * 1024 * 1024,
      secureCookies: e.UPSTANDER_PUBLIC_URL?.startsWith("https://") ?? false,
      trustProxy: e.UPSTANDER_TRUST_PROXY,
      oidc:
        e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_REDIRECT_URI
          ? {
              issuer: e.OIDC_ISSUER,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              redirectUri: e.OIDC_REDIRECT_URI,
              scopes: e.OIDC_SCOPES,
            }
          : undefined,
    },
  };
}

/**
 * For the embedded default, a secret is generated once and kept in the data directory (mode 0600), so
 * sessions survive a restart without the operator configuring anything.
 */
export async function resolveSessionSecret(config: AppConfig): Promise<string> {
  if (config.sessionSecret) {
    return config.sessionSecret;
  }
  const file = join(config.dataDir, "session-secret");
  try {
    const s = (await readFile(file, "utf8")).trim();
    if (s.length >= 32) {
      return s;
    }
  } catch {
    // Not there yet: first start.
  }
  await mkdir(config.dataDir, { recursive: true });
  const s = randomBytes(48).toString("base64url");
  await writeFile(file, s + "\n", { mode: 0o600 });
  return s;
}
