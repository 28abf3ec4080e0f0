/**
 * @module ndas.routes
 * The NDA register (organisation-wide; an agreement may or may not belong to a case): list, register,
 * and the release workflow (assessment, release letter sent, acknowledged).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ErrorBodySchema, IdParamsSchema, OkSchema } from "../../contract/api-common.ts";
import { NDA_ASSESSMENTS } from "../../domain/victims/victims.ts";
import { authorizeAction } from "../../services/authorize.ts";
import { listNdas } from "../../services/ndas/list-ndas.ts";
import { registerNda } from "../../services/ndas/register-nda.ts";
import { updateNda } from "../../services/ndas/update-nda.ts";
import { actorOf } from "../case-actor.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";
import { toWire } from "../presenters/wire.ts";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const Text = z.string().trim().min(1).max(20_000);
const RegisterSchema = z.strictObject({
  caseId: z.guid().optional(),
  parties: z.array(z.string().trim().min(1).max(300)).min(2).max(50),
  agreementDate: z.iso.date(),
  clauseText: Text,
});
const StepSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("assessment"), assessment: z.enum(NDA_ASSESSMENTS), reason: Text }),
  z.strictObject({ kind: z.literal("release_letter_sent") }),
  z.strictObject({ kind: z.literal("acknowledged") }),
]);

export function ndaRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const cd = { db: deps.db };
  return (app) => {
    app.get(
      "/",
      {
        schema: {
          summary: "The NDA register",
          tags: ["ndas"],
          querystring: z.strictObject({ caseId: z.guid().optional() }),
          response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "nda.read");
        const rows = await listNdas(cd, {
          orgId: auth.orgId,
          actor: actorOf(auth),
          ...(req.query.caseId ? { caseId: req.query.caseId } : {}),
        });
        return { items: rows.map(toWire) };
      },
    );
    app.post(
      "/",
      {
        schema: {
          summary: "Register an NDA",
          tags: ["ndas"],
          body: RegisterSchema,
          response: { 201: z.object({ id: z.string() }), ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "nda.write");
        const r = await registerNda(cd, {
          ...req.body,
          orgId: auth.orgId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return reply.status(201).send({ id: r.ndaId });
      },
    );
    app.post(
      "/:id/steps",
      {
        schema: {
          summary: "Assess, send the release letter, record acknowledgement",
          tags: ["ndas"],
          params: IdParamsSchema,
          body: StepSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "nda.write");
        await updateNda(cd, {
          orgId: auth.orgId,
          ndaId: req.params.id,
          actor: actorOf(auth),
          step: req.body,
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    return Promise.resolve();
  };
}
