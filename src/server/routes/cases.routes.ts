/**
 * @module cases.routes
 * Case list and read, the case's ledger, and conflict checks. Every case route goes through
 * authorizeCaseAction (role, assignment or role-wide rule, conflict), which ledgers refusals.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CaseIdParamsSchema, ErrorBodySchema, OkSchema } from "../../contract/api-common.ts";
import {
  CaseListSchema,
  CaseSummarySchema,
  ConflictCheckSchema,
  ConflictDecisionRequestSchema,
  LedgerListSchema,
} from "../../contract/api-cases.ts";
import { AppError } from "../../contract/errors.ts";
import { authorizeAction, authorizeCaseAction } from "../../services/authorize.ts";
import { decideParticipantMatch } from "../../services/conflicts/decide-participant-match.ts";
import { actorOf } from "../case-actor.ts";
import { listAccessibleCases } from "../../services/list-accessible-cases.ts";
import { listCaseLedger } from "../../services/list-case-ledger.ts";
import { selectCaseSummaries } from "../../storage/repositories/case-access.repository.ts";
import { findUserById } from "../../storage/repositories/user.repository.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

function presentCase(c: {
  id: string;
  reference: string;
  title: string;
  openedAt: Date;
  closedAt: Date | null;
}) {
  return { ...c, openedAt: c.openedAt.toISOString(), closedAt: c.closedAt?.toISOString() ?? null };
}

export function caseRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      "/",
      {
        schema: {
          summary: "Cases I may open",
          tags: ["cases"],
          response: { 200: CaseListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "case.list");
        return { cases: (await listAccessibleCases(deps, auth)).map(presentCase) };
      },
    );
    app.get(
      "/:caseId",
      {
        schema: {
          summary: "Read a case",
          tags: ["cases"],
          params: CaseIdParamsSchema,
          response: { 200: CaseSummarySchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "case.read", req.params.caseId);
        const [c] = await selectCaseSummaries(deps.db, auth.orgId, [req.params.caseId]);
        if (!c) {
          throw new AppError("NOT_FOUND", { userMessage: "no such case" });
        }
        return presentCase(c);
      },
    );
    app.get(
      "/:caseId/ledger",
      {
        schema: {
          summary: "The case's ledger entries",
          tags: ["ledger"],
          params: CaseIdParamsSchema,
          response: { 200: LedgerListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { reference } = await authorizeCaseAction(deps, auth, "case.ledger", req.params.caseId);
        const entries = await listCaseLedger(deps, auth.orgId, reference);
        return { entries: entries.map((e) => ({ ...e, caseRef: e.caseRef ?? null })) };
      },
    );
    app.get(
      "/:caseId/conflicts",
      {
        schema: {
          summary: "Whether a user is excluded from the case by its evidence (admin)",
          tags: ["access"],
          params: CaseIdParamsSchema,
          querystring: z.strictObject({ userId: z.guid() }),
          response: { 200: ConflictCheckSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "conflict.decide", req.params.caseId);
        const u = await findUserById(deps.db, auth.orgId, req.query.userId);
        if (!u) {
          throw new AppError("NOT_FOUND", { userMessage: "no such user" });
        }
        const matches = await deps.caseFacts.conflicts(
          { orgId: u.orgId, userId: u.id, displayName: u.displayName, phone: u.phone },
          req.params.caseId,
        );
        return { userId: u.id, conflicted: matches.length > 0, matches };
      },
    );
    return Promise.resolve();
  };
}

/** POST /api/conflicts/decisions: confirm or clear a person-to-user match (admin). */
export function conflictRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      "/decisions",
      {
        schema: {
          summary: "Confirm or clear that a person named in evidence is a user",
          tags: ["access"],
          body: ConflictDecisionRequestSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeAction(deps, auth, "conflict.decide");
        await decideParticipantMatch(
          { db: deps.db },
          {
            orgId: auth.orgId,
            actor: actorOf(auth),
            userId: req.body.userId,
            person: req.body.personKey,
            status: req.body.decision,
            reason: req.body.reason,
            now: deps.clock(),
          },
        );
        return { ok: true as const };
      },
    );
    return Promise.resolve();
  };
}
