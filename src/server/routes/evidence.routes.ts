/**
 * @module evidence.routes
 * Evidence upload (multipart, streamed to a temp file under the data directory, then through the same
 * intake as the CLI: content-addressed store + acquisition record + parse) and evidence reads, each
 * ledgered as evidence.viewed. The client's file name is only ever stored as a label (its last path
 * segment); files on disk are named by random ids.
 */
import { createReadStream } from "node:fs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CaseIdParamsSchema, ErrorBodySchema } from "../../contract/api-common.ts";
import {
  EvidenceListSchema,
  EvidenceRecordsQuerySchema,
  EvidenceRecordsSchema,
  EvidenceUploadFieldsSchema,
  EvidenceUploadResponseSchema,
} from "../../contract/api-evidence.ts";
import { AppError } from "../../contract/errors.ts";
import { CHAT_FORMATS } from "../../domain/formats/registry.ts";
import { authorizeCaseAction } from "../../services/authorize.ts";
import { ingestExport } from "../../services/ingest-export.ts";
import { listEvidence, readEvidenceRecords } from "../../services/view-evidence.ts";
import type { Acquisition } from "../../storage/repositories/acquisition.repository.ts";
import type { AppDeps } from "../deps.ts";
import { receiveUpload } from "../receive-upload.ts";
import { requireAuth } from "../plugins/auth.ts";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  413: ErrorBodySchema,
  422: ErrorBodySchema,
};

function presentEvidence(a: Acquisition) {
  return {
    id: a.id,
    sha256: a.sha256,
    sizeBytes: a.sizeBytes,
    originalName: a.originalName,
    mediaType: a.mediaType,
    status: a.status,
    failureReason: a.failureReason,
    acquiredBy: a.acquiredBy,
    acquiredAt: a.acquiredAt.toISOString(),
    method: a.method,
    scopeStatement: a.scope.statement,
  };
}

export function evidenceRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      "/:caseId/evidence",
      {
        schema: {
          summary: "Upload a chat export (multipart: scope fields + one file); ?async=true queues it",
          tags: ["evidence"],
          params: CaseIdParamsSchema,
          querystring: z.strictObject({ async: z.enum(["true", "false"]).optional() }),
          consumes: ["multipart/form-data"],
          response: { 201: EvidenceUploadResponseSchema, 202: EvidenceUploadResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        const { reference } = await authorizeCaseAction(deps, auth, "evidence.upload", req.params.caseId);
        const store = deps.store;
        if (!store) {
          throw new AppError("INTERNAL", { userMessage: "no evidence store configured" });
        }
        const up = await receiveUpload(req, deps.config.dataDir, EvidenceUploadFieldsSchema);
        const tmp = up.path;
        const file = { label: up.label, mediaType: up.mediaType };
        const f = { data: up.fields };
        let keep = false;
        try {
          const scope = {
            statement: f.data.scopeStatement,
            chat: f.data.scopeChat ?? null,
            dateFrom: f.data.scopeDateFrom ?? null,
            dateTo: f.data.scopeDateTo ?? null,
            justification: f.data.scopeJustification ?? null,
            authorisedBy: f.data.scopeAuthorisedBy ?? null,
          };
          if (req.query.async === "true" && deps.jobs) {
            const jobId = await deps.jobs.enqueue(
              "export.ingest",
              {
                orgId: auth.orgId,
                caseRef: reference,
                filePath: tmp,
                originalName: file.label,
                mediaType: file.mediaType,
                acquiredBy: auth.userId,
                method: f.data.method,
                scopeStatement: scope.statement,
                scopeChat: scope.chat,
                scopeDateFrom: scope.dateFrom,
                scopeDateTo: scope.dateTo,
                scopeJustification: scope.justification,
                scopeAuthorisedBy: scope.authorisedBy,
              },
              { orgId: auth.orgId, caseRef: reference },
            );
            keep = true;
            return reply.status(202).send({ jobId });
          }
          const r = await ingestExport(
            { db: deps.db, store, formats: CHAT_FORMATS, now: deps.clock },
            {
              orgId: auth.orgId,
              caseRef: reference,
              input: createReadStream(tmp),
              originalName: file.label,
              acquiredBy: auth.userId,
              method: f.data.method,
              scope,
              maxBytes: deps.config.uploadLimitBytes,
            },
          );
          return reply.status(201).send({
            evidence: presentEvidence(r.acquisition),
            parsed: r.ok,
            ...(r.ok && r.parse.summary ? { records: r.parse.summary.recordCount } : {}),
          });
        } finally {
          if (!keep) {
            await up.discard();
          }
        }
      },
    );
    app.get(
      "/:caseId/evidence",
      {
        schema: {
          summary: "The case's evidence (ledgered)",
          tags: ["evidence"],
          params: CaseIdParamsSchema,
          response: { 200: EvidenceListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { reference } = await authorizeCaseAction(deps, auth, "evidence.read", req.params.caseId);
        const rows = await listEvidence(deps, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          caseRef: reference,
          actor: auth.userId,
        });
        return { evidence: rows.map(presentEvidence) };
      },
    );
    app.get(
      "/:caseId/evidence/:evidenceId/records",
      {
        schema: {
          summary: "Parsed records of one piece of evidence, a page at a time (ledgered)",
          tags: ["evidence"],
          params: CaseIdParamsSchema.extend({ evidenceId: z.guid() }),
          querystring: EvidenceRecordsQuerySchema,
          response: { 200: EvidenceRecordsSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { reference } = await authorizeCaseAction(deps, auth, "evidence.read", req.params.caseId);
        const r = await readEvidenceRecords(deps, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          caseRef: reference,
          acquisitionId: req.params.evidenceId,
          actor: auth.userId,
          offset: req.query.offset,
          limit: req.query.limit,
        });
        return { evidence: presentEvidence(r.acquisition), total: r.total, records: r.records };
      },
    );
    return Promise.resolve();
  };
}
