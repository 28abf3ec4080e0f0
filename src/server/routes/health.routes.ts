/**
 * @module health.routes
 * GET /health: the process answers (liveness). GET /ready: the database answers and every migration this
 * build knows has been applied (readiness).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { checkReadiness } from "../../services/check-readiness.ts";
import type { AppDeps } from "../deps.ts";

const ReadySchema = z.object({
  ready: z.boolean(),
  database: z.string(),
  pendingMigrations: z.array(z.string()),
});

export function healthRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      "/health",
      {
        config: { rateLimit: false },
        schema: { hide: true, response: { 200: z.object({ ok: z.literal(true) }) } },
      },
      () => Promise.resolve({ ok: true as const }),
    );
    app.get(
      "/ready",
      {
        config: { rateLimit: false },
        schema: { hide: true, response: { 200: ReadySchema, 503: ReadySchema } },
      },
      async (_req, reply) => {
        const r = await checkReadiness(deps.db);
        return reply.status(r.ready ? 200 : 503).send(r);
      },
    );
    return Promise.resolve();
  };
}
