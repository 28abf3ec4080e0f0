/**
 * @module jobs.routes
 * GET /api/jobs/:id: progress and failure reason of a background job (its case's team, or admin).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ErrorBodySchema, IdParamsSchema } from "../../contract/api-common.ts";
import { JobStatusSchema } from "../../contract/api-evidence.ts";
import { AppError } from "../../contract/errors.ts";
import { authorizeAction } from "../../services/authorize.ts";
import { findJobRun } from "../../storage/repositories/job-run.repository.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";

export function jobRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      "/:id",
      {
        schema: {
          summary: "Background job status",
          tags: ["jobs"],
          params: IdParamsSchema,
          response: {
            200: JobStatusSchema,
            401: ErrorBodySchema,
            403: ErrorBodySchema,
            404: ErrorBodySchema,
          },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "job.read");
        const run = await findJobRun(deps.db, auth.orgId, req.params.id);
        if (!run) {
          throw new AppError("NOT_FOUND", { userMessage: "no such job" });
        }
        return {
          id: run.jobId,
          name: run.name,
          state: run.state,
          progress: run.progress,
          progressMessage: run.progressMessage,
          attempts: run.attempts,
          failureReason: run.failureReason,
        };
      },
    );
    return Promise.resolve();
  };
}
