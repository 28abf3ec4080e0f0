/**
 * @module users.routes
 * User administration (admin only): list, create, change role / disable / unlock.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  CreateUserRequestSchema,
  UpdateUserRequestSchema,
  UserListSchema,
  UserSchema,
} from "../../contract/api-auth.ts";
import { ErrorBodySchema, IdParamsSchema } from "../../contract/api-common.ts";
import { authorizeAction } from "../../services/authorize.ts";
import { createUser } from "../../services/create-user.ts";
import { listUsers } from "../../services/list-users.ts";
import { updateUser } from "../../services/update-user.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

export function userRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      "/",
      { schema: { summary: "List accounts", tags: ["users"], response: { 200: UserListSchema, ...errors } } },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "users.manage");
        return { users: await listUsers(deps, auth.orgId) };
      },
    );
    app.post(
      "/",
      {
        schema: {
          summary: "Create an account",
          tags: ["users"],
          body: CreateUserRequestSchema,
          response: { 201: UserSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "users.manage");
        return reply.status(201).send(await createUser(deps, auth.orgId, req.body, auth.userId));
      },
    );
    app.patch(
      "/:id",
      {
        schema: {
          summary: "Change role, disable or unlock an account",
          tags: ["users"],
          params: IdParamsSchema,
          body: UpdateUserRequestSchema,
          response: { 200: UserSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "users.manage");
        return updateUser(deps, auth.orgId, req.params.id, req.body, auth.userId);
      },
    );
    return Promise.resolve();
  };
}
