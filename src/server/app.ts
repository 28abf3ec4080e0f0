/**
 * @module app
 * Builds the Fastify application without listening: security headers, cookies, sessions and CSRF, rate
 * limits, zod validation and serialisation, OpenAPI at /api/docs, one plugin per resource.
 */
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import pino, { type DestinationStream } from "pino";
import { ApiLimits } from "../contract/api-common.ts";
import { AppError } from "../contract/errors.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import { dbCaseFacts } from "../services/case-facts.ts";
import { argon2Hasher, type PasswordHasher } from "../services/password-hasher.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import type { AppConfig } from "./config.ts";
import { DEFAULT_ORG_ID, type AppDeps } from "./deps.ts";
import { registerAuth } from "./plugins/auth.ts";
import { registerErrorHandler } from "./plugins/error-handler.ts";
import { registerRequestLog } from "./plugins/request-log.ts";
import { registerRoutes } from "./routes/index.ts";

export interface BuildAppOptions {
  db: Db;
  config: AppConfig;
  clock?: () => Date;
  hasher?: PasswordHasher;
  jobs?: JobQueue;
  /** The evidence store (uploads); absent in tests that do not upload. */
  store?: EvidenceStore;
  /** Where logs go (tests capture them); defaults to stdout at level info. */
  logStream?: DestinationStream;
  logLevel?: string;
}

export type App = FastifyInstance;

/** @throws AppError CONFIG_INVALID when the session secret has not been resolved */
export async function buildApp(opts: BuildAppOptions): Promise<App> {
  const { config } = opts;
  if (!config.sessionSecret) {
    throw new AppError("CONFIG_INVALID", {
      userMessage: "session secret not resolved (resolveSessionSecret)",
    });
  }
  const deps: AppDeps = {
    db: opts.db,
    clock: opts.clock ?? (() => new Date()),
    config,
    sessionSecret: config.sessionSecret,
    hasher: opts.hasher ?? argon2Hasher,
    jobs: opts.jobs,
    store: opts.store,
    orgId: DEFAULT_ORG_ID,
    caseFacts: dbCaseFacts(opts.db),
  };
  // One log line per request written synchronously was a write(2) per request on the event loop (7 % of
  // the API's CPU under load). Lines are buffered up to 4 KiB and written asynchronously instead, flushed
  // every second and when the app closes; security events go to the ledger, not the log, so a crash can
  // lose at most a second of request lines.
  const stdout = opts.logStream ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? "info",
      stream: opts.logStream ?? stdout,
      // No default request serializer: request-log.ts decides per route what may be logged, so the
      // anonymous intake never writes an address or user agent anywhere.
      serializers: { req: () => ({}), res: () => ({}) },
      redact: ["req.headers", "headers"],
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ApiLimits.jsonBodyBytes,
    trustProxy: config.trustProxy,
    // Random request ids (not sequential) so they cannot be used to count reports.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerRequestLog(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], objectSrc: ["'none'"] },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimits.perMinute,
    timeWindow: 60_000,
    // A request whose client already went away has no address; keying it to a constant avoids a crash
    // in the default key generator (seen under load) and such a request is answered to nobody anyway.
    keyGenerator: (req) => req.ip || "gone",
    // The key lives only in this process's memory for one window; it is never logged or stored.
    errorResponseBuilder: () => new AppError("RATE_LIMITED", { userMessage: "too many requests, slow down" }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "upstander API", version: "0.1.0" },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "upstander_session" },
          csrf: { type: "apiKey", in: "header", name: "x-csrf-token" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(multipart, {
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 25 },
  });
  registerAuth(app, deps);
  await registerRoutes(app, deps);
  if (stdout) {
    const flusher = setInterval(() => stdout.flush(), 1000);
    flusher.unref();
    app.addHook("onClose", (_instance, done) => {
      clearInterval(flusher);
      stdout.flushSync();
      done();
    });
  }
  return app;
}
