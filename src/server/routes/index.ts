/**
 * @module routes
 * One plugin per resource, registered here.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.ts";
import { authRoutes } from "./auth.routes.ts";
import { docsRoutes } from "./docs.routes.ts";
import { healthRoutes } from "./health.routes.ts";
import { userRoutes } from "./users.routes.ts";

export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(healthRoutes(deps));
  await app.register(docsRoutes(), { prefix: "/api/docs" });
  await app.register(authRoutes(deps), { prefix: "/api/auth" });
  await app.register(userRoutes(deps), { prefix: "/api/users" });
}
