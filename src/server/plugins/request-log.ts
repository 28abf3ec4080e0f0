/**
 * @module request-log
 * One log line per response. Routes marked `config: { anonymous: true }` (the public intake and the
 * anonymous reporter's inbox) are logged with their route pattern and status only: no address, no user
 * agent, no path parameters, no timing fine enough to correlate.
 */
import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route serves reporters who may be anonymous: log nothing identifying. */
    anonymous?: boolean;
  }
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "(unmatched)";
    if (req.routeOptions.config.anonymous) {
      req.log.info({ route, method: req.method, status: reply.statusCode }, "request");
      return;
    }
    req.log.info(
      {
        route,
        method: req.method,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        user: req.auth?.userId,
        ip: req.ip,
      },
      "request",
    );
  });
}
