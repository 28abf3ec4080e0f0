/**
 * @module reports.routes
 * A signed-in reporter's own reports: submit (named or confidential, linked to the account), read the
 * status and messages, reply. Reporters never reach case routes, notes or evidence.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ErrorBodySchema, IdParamsSchema } from "../../contract/api-common.ts";
import {
  ReporterMessageBodySchema,
  ReporterViewSchema,
  SubmitReportRequestSchema,
  SubmitReportResponseSchema,
} from "../../contract/api-cases.ts";
import { AppError } from "../../contract/errors.ts";
import { authorizeAction } from "../../services/authorize.ts";
import { resolveReporterAccess } from "../../services/cases/authenticate-reporter.ts";
import { readReporterView } from "../../services/cases/read-reporter-view.ts";
import { recordReport } from "../../services/cases/record-report.ts";
import { sendReporterMessage } from "../../services/cases/send-reporter-message.ts";
import type { AppDeps } from "../deps.ts";
import { receiveUpload } from "../receive-upload.ts";
import { ReporterEvidenceFieldsSchema, ReporterEvidenceResponseSchema } from "../../contract/api-evidence.ts";
import { CHAT_FORMATS } from "../../domain/formats/registry.ts";
import { ingestReporterEvidence } from "../../services/ingest-reporter-evidence.ts";
import { requireAuth } from "../plugins/auth.ts";
import { presentReporterView } from "../presenters/reporter-view.ts";

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

export function reportRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const cd = { db: deps.db };
  return (app) => {
    app.post(
      "/",
      {
        config: { rateLimit: { max: deps.config.rateLimits.intakePerMinute, timeWindow: 60_000 } },
        schema: {
          summary: "Submit a report as the signed-in reporter (use /api/public/reports to stay anonymous)",
          tags: ["reports"],
          body: SubmitReportRequestSchema,
          response: { 201: SubmitReportResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "report.submit");
        if (req.body.mode === "anonymous") {
          throw new AppError("INVALID_INPUT", {
            userMessage: "anonymous reports go to /api/public/reports, signed out",
          });
        }
        const r = await recordReport(cd, {
          ...req.body,
          orgId: auth.orgId,
          reporterUserId: auth.userId,
          now: deps.clock(),
        });
        return reply.status(201).send({ reference: r.reference, reportId: r.reportId });
      },
    );
    app.get(
      "/:id",
      {
        schema: {
          summary: "Status and messages of my report",
          tags: ["reports"],
          params: IdParamsSchema,
          response: { 200: ReporterViewSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "report.submit");
        const access = await resolveReporterAccess(cd, {
          orgId: auth.orgId,
          reportId: req.params.id,
          userId: auth.userId,
        });
        return presentReporterView(await readReporterView(cd, access));
      },
    );
    app.post(
      "/:id/messages",
      {
        schema: {
          summary: "Reply on my report",
          tags: ["reports"],
          params: IdParamsSchema,
          body: ReporterMessageBodySchema,
          response: { 200: ReporterViewSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "report.submit");
        const access = await resolveReporterAccess(cd, {
          orgId: auth.orgId,
          reportId: req.params.id,
          userId: auth.userId,
        });
        await sendReporterMessage(cd, access, { body: req.body.body, now: deps.clock() });
        return presentReporterView(await readReporterView(cd, access));
      },
    );
    app.post(
      "/:id/evidence",
      {
        schema: {
          summary: "Attach a chat export to my report (multipart: scope fields, file)",
          tags: ["reports"],
          params: IdParamsSchema,
          consumes: ["multipart/form-data"],
          response: { 201: ReporterEvidenceResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "report.submit");
        const access = await resolveReporterAccess(cd, {
          orgId: auth.orgId,
          reportId: req.params.id,
          userId: auth.userId,
        });
        const store = deps.store;
        if (!store) {
          throw new AppError("INTERNAL", { userMessage: "no evidence store configured" });
        }
        const up = await receiveUpload(req, deps.config.dataDir, ReporterEvidenceFieldsSchema);
        try {
          const r = await ingestReporterEvidence(
            {
              db: deps.db,
              store,
              formats: CHAT_FORMATS,
              clock: deps.clock,
              maxBytes: deps.config.uploadLimitBytes,
            },
            access,
            { path: up.path, label: up.label },
            {
              statement: up.fields.scopeStatement,
              chat: up.fields.scopeChat,
              dateFrom: up.fields.scopeDateFrom,
              dateTo: up.fields.scopeDateTo,
            },
          );
          return reply
            .status(201)
            .send({ received: true as const, sha256: r.acquisition.sha256, parsed: r.ok });
        } finally {
          await up.discard();
        }
      },
    );
    return Promise.resolve();
  };
}
