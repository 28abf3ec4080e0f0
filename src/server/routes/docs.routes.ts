/**
 * @module docs.routes
 * The OpenAPI document (GET /api/docs, JSON; also /api/docs/openapi.json) and a small HTML index
 * (GET /api/docs/html) listing the operations, with no scripts so the CSP stays strict.
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";

const DocSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
const OpSchema = z.object({ summary: z.string().optional() });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function docsRoutes(): FastifyPluginAsync {
  return (app) => {
    const doc = () => app.swagger();
    app.get("/", { schema: { hide: true } }, () => Promise.resolve(doc()));
    app.get("/openapi.json", { schema: { hide: true } }, () => Promise.resolve(doc()));
    app.get("/html", { schema: { hide: true } }, (_req, reply) => {
      const d = DocSchema.parse(doc());
      const rows = Object.entries(d.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => {
          const summary = OpSchema.safeParse(op).data?.summary ?? "";
          return `<tr><td><code>${escapeHtml(method.toUpperCase())}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(summary)}</td></tr>`;
        }),
      );
      return reply
        .type("text/html; charset=utf-8")
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>upstander API</title></head><body><h1>upstander API</h1><p>OpenAPI 3.1 document: <a href="/api/docs/openapi.json">/api/docs/openapi.json</a></p><table><thead><tr><th>method</th><th>path</th><th>summary</th></tr></thead><tbody>${rows.join("")}</tbody></table></body></html>`,
        );
    });
    return Promise.resolve();
    return Promise.resolve();
  };
}
