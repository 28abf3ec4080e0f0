/**
 * @module workflow.routes
 * Subjects and allegations, workflow moves, triage and its second review, the referral check, clocks.
 * Every nested id is checked to belong to the case named in the path (else 404), after the case gate.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CaseIdParamsSchema, ErrorBodySchema } from "../../contract/api-common.ts";
import {
  AddedSubjectSchema,
  AddSubjectRequestSchema,
  AllegationParamsSchema,
  ClockParamsSchema,
  ClocksSchema,
  DecisionParamsSchema,
  MeetClockRequestSchema,
  MeetClockResponseSchema,
  ReferralCheckRequestSchema,
  ReferralCheckResponseSchema,
  SubjectsSchema,
  TransitionRequestSchema,
  TransitionResponseSchema,
  TriageRequestSchema,
  TriageResponseSchema,
  TriageReviewRequestSchema,
  TriageReviewResponseSchema,
} from "../../contract/api-workflow.ts";
import { AppError } from "../../contract/errors.ts";
import { INVESTIGATION_MODES, LIST_KINDS, OUTCOMES, SEVERITIES } from "../../domain/workflow/decisions.ts";
import { z } from "zod";
import { authorizeCaseAction } from "../../services/authorize.ts";
import { addSubject } from "../../services/cases/add-subject.ts";
import { decideTriage } from "../../services/cases/decide-triage.ts";
import { listNotifications } from "../../services/cases/list-notifications.ts";
import { meetClock } from "../../services/cases/meet-clock.ts";
import { recordReferralCheck } from "../../services/cases/record-referral-check.ts";
import { reviewTriageDecision } from "../../services/cases/review-triage-decision.ts";
import {
  transitionAllegation,
  type TransitionAllegationInput,
} from "../../services/cases/transition-allegation.ts";
import { selectAllegations, selectSubjects } from "../../storage/repositories/allegation.repository.ts";
import {
  selectCaseOf,
  selectCaseOfTriageDecision,
} from "../../storage/repositories/case-access.repository.ts";
import { selectClocksForCase } from "../../storage/repositories/clock.repository.ts";
import { actorOf } from "../case-actor.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
/** The move's facts narrowed to the workflow's enumerations (the contract carries them as strings). */
const TransitionFactsSchema = z.object({
  to: z.string(),
  reason: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  investigationMode: z.enum(INVESTIGATION_MODES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  listKind: z.enum(LIST_KINDS).optional(),
});
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function workflowRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const cd = { db: deps.db };
  const belongs = async (caseId: string, owner: Promise<string | null>, what: string) => {
    if ((await owner) !== caseId) {
      throw new AppError("NOT_FOUND", { userMessage: `no such ${what} in this case` });
    }
  };
  return (app) => {
    app.get(
      "/:caseId/subjects",
      {
        schema: {
          summary: "Subjects and their allegations",
          tags: ["workflow"],
          params: CaseIdParamsSchema,
          response: { 200: SubjectsSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "subject.read", req.params.caseId);
        const [subjects, allegations] = await Promise.all([
          selectSubjects(deps.db, auth.orgId, req.params.caseId),
          selectAllegations(deps.db, auth.orgId, req.params.caseId),
        ]);
        return {
          subjects: subjects.map((s) => ({
            id: s.id,
            displayName: s.displayName,
            status: s.status,
            roleTitle: s.roleTitle,
          })),
          allegations: allegations.map((a) => ({
            id: a.id,
            subjectId: a.subjectId,
            regime: a.regime,
            state: a.state,
            summary: a.summary,
            severity: a.severity,
            createdAt: a.createdAt.toISOString(),
          })),
        };
      },
    );
    app.post(
      "/:caseId/subjects",
      {
        schema: {
          summary: "Add a subject (one allegation per regime)",
          tags: ["workflow"],
          params: CaseIdParamsSchema,
          body: AddSubjectRequestSchema,
          response: { 201: AddedSubjectSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "subject.write", req.params.caseId);
        const r = await addSubject(cd, {
          ...req.body,
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return reply.status(201).send(r);
      },
    );
    app.post(
      "/:caseId/allegations/:allegationId/transitions",
      {
        schema: {
          summary: "Move an allegation in the workflow",
          tags: ["workflow"],
          params: AllegationParamsSchema,
          body: TransitionRequestSchema,
          response: { 200: TransitionResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { caseId, allegationId } = req.params;
        await authorizeCaseAction(deps, auth, "case.transition", caseId);
        await belongs(caseId, selectCaseOf(deps.db, auth.orgId, "allegation", allegationId), "allegation");
        const facts = TransitionFactsSchema.safeParse(req.body);
        if (!facts.success) {
          throw new AppError("INVALID_INPUT", {
            userMessage: facts.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
          });
        }
        const input: TransitionAllegationInput = {
          ...facts.data,
          orgId: auth.orgId,
          allegationId,
          actor: actorOf(auth),
          now: deps.clock(),
        };
        return transitionAllegation(cd, input);
      },
    );
    app.post(
      "/:caseId/allegations/:allegationId/triage",
      {
        schema: {
          summary: "Typed triage decision with rationale",
          tags: ["workflow"],
          params: AllegationParamsSchema,
          body: TriageRequestSchema,
          response: { 200: TriageResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { caseId, allegationId } = req.params;
        await authorizeCaseAction(deps, auth, "triage.decide", caseId);
        await belongs(caseId, selectCaseOf(deps.db, auth.orgId, "allegation", allegationId), "allegation");
        return decideTriage(cd, {
          ...req.body,
          orgId: auth.orgId,
          allegationId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
      },
    );
    app.post(
      "/:caseId/triage/:decisionId/review",
      {
        schema: {
          summary: "Second review of a 'not recorded' decision",
          tags: ["workflow"],
          params: DecisionParamsSchema,
          body: TriageReviewRequestSchema,
          response: { 200: TriageReviewResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { caseId, decisionId } = req.params;
        await authorizeCaseAction(deps, auth, "triage.review", caseId);
        await belongs(caseId, selectCaseOfTriageDecision(deps.db, auth.orgId, decisionId), "triage decision");
        return reviewTriageDecision(cd, {
          ...req.body,
          orgId: auth.orgId,
          decisionId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
      },
    );
    app.post(
      "/:caseId/allegations/:allegationId/referral-check",
      {
        schema: {
          summary: "Test against the mandatory referral categories",
          tags: ["workflow"],
          params: AllegationParamsSchema,
          body: ReferralCheckRequestSchema,
          response: { 200: ReferralCheckResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { caseId, allegationId } = req.params;
        await authorizeCaseAction(deps, auth, "referral.check", caseId);
        await belongs(caseId, selectCaseOf(deps.db, auth.orgId, "allegation", allegationId), "allegation");
        return recordReferralCheck(cd, {
          ...req.body,
          orgId: auth.orgId,
          allegationId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
      },
    );
    app.get(
      "/:caseId/clocks",
      {
        schema: {
          summary: "Clocks, deadlines and their notices",
          tags: ["workflow"],
          params: CaseIdParamsSchema,
          response: { 200: ClocksSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "case.clocks", req.params.caseId);
        const [clocks, notes] = await Promise.all([
          selectClocksForCase(deps.db, auth.orgId, req.params.caseId),
          listNotifications(cd, { orgId: auth.orgId, caseId: req.params.caseId }),
        ]);
        return {
          clocks: clocks.map((c) => ({
            id: c.id,
            allegationId: c.allegationId,
            kind: c.kind,
            startedAt: c.startedAt.toISOString(),
            dueAt: c.dueAt.toISOString(),
            metAt: iso(c.metAt),
            stoppedAt: iso(c.stoppedAt),
          })),
          notifications: notes.map((n) => ({
            id: n.id,
            clockId: n.clockId,
            kind: n.kind,
            recipientRole: n.recipientRole,
            body: n.body,
            createdAt: n.createdAt.toISOString(),
          })),
        };
      },
    );
    app.post(
      "/:caseId/clocks/:clockId/meet",
      {
        schema: {
          summary: "Mark a clock met (e.g. the acknowledgement was sent)",
          tags: ["workflow"],
          params: ClockParamsSchema,
          body: MeetClockRequestSchema,
          response: { 200: MeetClockResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { caseId, clockId } = req.params;
        await authorizeCaseAction(deps, auth, "clock.meet", caseId);
        await belongs(caseId, selectCaseOf(deps.db, auth.orgId, "clock", clockId), "clock");
        return meetClock(cd, {
          ...req.body,
          orgId: auth.orgId,
          clockId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
      },
    );
    return Promise.resolve();
  };
}
