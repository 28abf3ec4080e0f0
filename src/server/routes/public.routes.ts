/**
 * @module public.routes
 * The public intake and the anonymous reporter's inbox. These routes are marked `anonymous`: no session is
 * read, nothing identifying is logged (request-log.ts), and the receipt code and passphrase travel in the
 * body (never in a URL, where proxies log them). Rate limited per address in memory only.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ErrorBodySchema } from "../../contract/api-common.ts";
import {
  ReporterCredentialsSchema,
  ReporterSendRequestSchema,
  ReporterViewSchema,
  SubmitReportRequestSchema,
  SubmitReportResponseSchema,
} from "../../contract/api-cases.ts";
import { authenticateAnonymousReporter } from "../../services/cases/authenticate-reporter.ts";
import { readReporterView } from "../../services/cases/read-reporter-view.ts";
import { recordReport } from "../../services/cases/record-report.ts";
import { sendReporterMessage } from "../../services/cases/send-reporter-message.ts";
import type { AppDeps } from "../deps.ts";
import { receiveUpload } from "../receive-upload.ts";
import {
  AnonymousEvidenceFieldsSchema,
  ReporterEvidenceResponseSchema,
} from "../../contract/api-evidence.ts";
import { AppError } from "../../contract/errors.ts";
import { CHAT_FORMATS } from "../../domain/formats/registry.ts";
import { ingestReporterEvidence } from "../../services/ingest-reporter-evidence.ts";
import { presentReporterView } from "../presenters/reporter-view.ts";

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema, 429: ErrorBodySchema };

export function publicRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const limit = { max: deps.config.rateLimits.intakePerMinute, timeWindow: 60_000 };
  return (app) => {
    app.post(
      "/reports",
      {
        config: { anonymous: true, rateLimit: limit },
        schema: {
          summary: "Submit a report (named, confidential or anonymous)",
          tags: ["public"],
          body: SubmitReportRequestSchema,
          response: { 201: SubmitReportResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const r = await recordReport({ db: deps.db }, { ...req.body, orgId: deps.orgId, now: deps.clock() });
        return reply.status(201).send({
          reference: r.reference,
          reportId: r.reportId,
          ...(r.receiptCode ? { receiptCode: r.receiptCode } : {}),
          ...(r.passphrase ? { passphrase: r.passphrase } : {}),
        });
      },
    );
    app.post(
      "/inbox",
      {
        config: { anonymous: true, rateLimit: limit },
        schema: {
          summary: "Read the status and messages of an anonymous report",
          tags: ["public"],
          body: ReporterCredentialsSchema,
          response: { 200: ReporterViewSchema, ...errors },
        },
      },
      async (req) => {
        const access = await authenticateAnonymousReporter({ db: deps.db }, req.body);
        return presentReporterView(await readReporterView({ db: deps.db }, access));
      },
    );
    app.post(
      "/inbox/messages",
      {
        config: { anonymous: true, rateLimit: limit },
        schema: {
          summary: "Send a message as the anonymous reporter",
          tags: ["public"],
          body: ReporterSendRequestSchema,
          response: { 200: ReporterViewSchema, ...errors },
        },
      },
      async (req) => {
        const { body, ...creds } = req.body;
        const access = await authenticateAnonymousReporter({ db: deps.db }, creds);
        await sendReporterMessage({ db: deps.db }, access, { body, now: deps.clock() });
        return presentReporterView(await readReporterView({ db: deps.db }, access));
      },
    );
    app.post(
      "/inbox/evidence",
      {
        config: { anonymous: true, rateLimit: limit },
        schema: {
          summary:
            "Attach a chat export to an anonymous report (multipart: receiptCode, passphrase, scope fields, file)",
          tags: ["public"],
          consumes: ["multipart/form-data"],
          response: { 201: ReporterEvidenceResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const store = deps.store;
        if (!store) {
          throw new AppError("INTERNAL", { userMessage: "no evidence store configured" });
        }
        const up = await receiveUpload(req, deps.config.dataDir, AnonymousEvidenceFieldsSchema);
        try {
          const { receiptCode, passphrase, ...scope } = up.fields;
          const access = await authenticateAnonymousReporter({ db: deps.db }, { receiptCode, passphrase });
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
              statement: scope.scopeStatement,
              chat: scope.scopeChat,
              dateFrom: scope.scopeDateFrom,
              dateTo: scope.scopeDateTo,
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
