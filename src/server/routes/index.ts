/**
 * @module routes
 * One plugin per resource, registered here.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.ts";
import { authRoutes } from "./auth.routes.ts";
import { caseTeamRoutes } from "./case-team.routes.ts";
import { caseRoutes, conflictRoutes } from "./cases.routes.ts";
import { docsRoutes } from "./docs.routes.ts";
import { evidenceRoutes } from "./evidence.routes.ts";
import { healthRoutes } from "./health.routes.ts";
import { jobRoutes } from "./jobs.routes.ts";
import { ledgerRoutes } from "./ledger.routes.ts";
import { publicRoutes } from "./public.routes.ts";
import { reportRoutes } from "./reports.routes.ts";
import { ndaRoutes } from "./ndas.routes.ts";
import { trackRoutes } from "./tracks.routes.ts";
import { userRoutes } from "./users.routes.ts";
import { workflowRoutes } from "./workflow.routes.ts";

export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(healthRoutes(deps));
  await app.register(docsRoutes(), { prefix: "/api/docs" });
  await app.register(authRoutes(deps), { prefix: "/api/auth" });
  await app.register(userRoutes(deps), { prefix: "/api/users" });
  await app.register(publicRoutes(deps), { prefix: "/api/public" });
  await app.register(reportRoutes(deps), { prefix: "/api/reports" });
  await app.register(caseRoutes(deps), { prefix: "/api/cases" });
  await app.register(caseTeamRoutes(deps), { prefix: "/api/cases" });
  await app.register(evidenceRoutes(deps), { prefix: "/api/cases" });
  await app.register(workflowRoutes(deps), { prefix: "/api/cases" });
  await app.register(trackRoutes(deps), { prefix: "/api/cases" });
  await app.register(ndaRoutes(deps), { prefix: "/api/ndas" });
  await app.register(conflictRoutes(deps), { prefix: "/api/conflicts" });
  await app.register(ledgerRoutes(deps), { prefix: "/api/ledger" });
  await app.register(jobRoutes(deps), { prefix: "/api/jobs" });
}
