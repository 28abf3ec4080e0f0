/**
 * @module ledger.routes
 * GET /api/ledger/verify: re-computes the organisation's hash chain (oversight, admin). The check itself
 * is ledgered so the oversight body's verifications are on the record.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ErrorBodySchema } from "../../contract/api-common.ts";
import { LedgerVerifySchema } from "../../contract/api-cases.ts";
import { authorizeAction } from "../../services/authorize.ts";
import { verifyLedger } from "../../services/verify-ledger.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";

export function ledgerRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      "/verify",
      {
        schema: {
          summary: "Verify the whole ledger's hash chain",
          tags: ["ledger"],
          response: { 200: LedgerVerifySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "ledger.verify");
        return verifyLedger({ db: deps.db }, auth.orgId);
      },
    );
    return Promise.resolve();
  };
}
