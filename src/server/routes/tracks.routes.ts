/**
 * @module tracks.routes
 * The parallel tracks of a case: protection (risk, plan, adverse events and their independent review),
 * victims (catalogue, identification, notification, referral) and cross-case links (only to cases the
 * user may open). Nested ids are checked to belong to the case in the path.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CaseIdParamsSchema, ErrorBodySchema, OkSchema } from "../../contract/api-common.ts";
import { AppError } from "../../contract/errors.ts";
import { ADVERSE_EVENT_KINDS, REVIEW_DECISIONS } from "../../domain/protection/retaliation.ts";
import { IDENTIFICATION_STATUSES, NOTIFICATION_DECISIONS } from "../../domain/victims/victims.ts";
import { authorizeCaseAction } from "../../services/authorize.ts";
import { findCaseLinks } from "../../services/links/find-case-links.ts";
import { listAccessibleCases } from "../../services/list-accessible-cases.ts";
import { listAdverseEvents } from "../../services/protection/list-adverse-events.ts";
import { recordAdverseEvent } from "../../services/protection/record-adverse-event.ts";
import { reviewAdverseEvent } from "../../services/protection/review-adverse-event.ts";
import { updateProtectionTrack } from "../../services/protection/update-protection-track.ts";
import { catalogueVictimItem } from "../../services/victims/catalogue-victim-item.ts";
import { listVictimItems } from "../../services/victims/list-victim-items.ts";
import { recordVictimDecision } from "../../services/victims/record-victim-decision.ts";
import { findAdverseEvent } from "../../storage/repositories/protection.repository.ts";
import { findVictimItem } from "../../storage/repositories/victim.repository.ts";
import { actorOf } from "../case-actor.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";
import { toWire } from "../presenters/wire.ts";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const Text = z.string().trim().min(1).max(20_000);
const Items = z.object({ items: z.array(z.record(z.string(), z.unknown())) });
const Created = z.object({ id: z.string() });

const ProtectionUpdateSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("risk_assessment"),
    level: z.enum(["low", "medium", "high"]),
    assessment: Text,
  }),
  z.strictObject({ kind: z.literal("plan"), plan: Text }),
  z.strictObject({ kind: z.literal("close"), reason: Text }),
]);
const AdverseEventSchema = z.strictObject({
  recorderFunction: z.enum(["hr", "intake"]),
  kind: z.enum(ADVERSE_EVENT_KINDS),
  description: Text,
  occurredAt: z.iso.datetime({ offset: true }),
});
const ReviewSchema = z.strictObject({
  reviewerName: z.string().trim().min(1).max(300),
  decision: z.enum(REVIEW_DECISIONS),
  justification: Text,
});
const VictimItemSchema = z.strictObject({
  ref: z.discriminatedUnion("itemKind", [
    z.strictObject({
      itemKind: z.literal("image"),
      imageSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      imagePhash: z
        .string()
        .regex(/^[0-9a-f]{16}$/)
        .optional(),
    }),
    z.strictObject({
      itemKind: z.literal("message"),
      exportId: z.guid(),
      recordIdx: z.number().int().min(0),
    }),
  ]),
  description: Text,
});
const VictimStepSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("identification"),
    status: z.enum(IDENTIFICATION_STATUSES),
    identifiedPerson: z.string().trim().min(1).max(500).optional(),
  }),
  z.strictObject({ kind: z.literal("notification"), decision: z.enum(NOTIFICATION_DECISIONS), reason: Text }),
  z.strictObject({ kind: z.literal("referral"), offence: Text, referredTo: Text }),
]);
const EventParams = z.object({ caseId: z.guid(), eventId: z.guid() });
const ItemParams = z.object({ caseId: z.guid(), itemId: z.guid() });

export function trackRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const cd = { db: deps.db };
  const notHere = (what: string) =>
    new AppError("NOT_FOUND", { userMessage: `no such ${what} in this case` });
  return (app) => {
    app.post(
      "/:caseId/protection",
      {
        schema: {
          summary: "Risk assessment, plan or closing of the protection track",
          tags: ["protection"],
          params: CaseIdParamsSchema,
          body: ProtectionUpdateSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "protection.write", req.params.caseId);
        await updateProtectionTrack(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          update: req.body,
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    app.get(
      "/:caseId/protection/events",
      {
        schema: {
          summary: "Adverse events about the reporter",
          tags: ["protection"],
          params: CaseIdParamsSchema,
          response: { 200: Items, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "protection.read", req.params.caseId);
        const rows = await listAdverseEvents(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
        });
        return { items: rows.map(toWire) };
      },
    );
    app.post(
      "/:caseId/protection/events",
      {
        schema: {
          summary: "Record an adverse event (flagged for independent review inside the watch)",
          tags: ["protection"],
          params: CaseIdParamsSchema,
          body: AdverseEventSchema,
          response: {
            201: z.object({ eventId: z.string(), flagged: z.boolean(), reason: z.string().nullable() }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "protection.record_event", req.params.caseId);
        const r = await recordAdverseEvent(cd, {
          ...req.body,
          occurredAt: new Date(req.body.occurredAt),
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return reply.status(201).send(r);
      },
    );
    app.post(
      "/:caseId/protection/events/:eventId/review",
      {
        schema: {
          summary: "Independent review of an adverse event",
          tags: ["protection"],
          params: EventParams,
          body: ReviewSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "protection.review", req.params.caseId);
        const ev = await findAdverseEvent(deps.db, auth.orgId, req.params.eventId);
        if (ev?.caseId !== req.params.caseId) {
          throw notHere("adverse event");
        }
        await reviewAdverseEvent(cd, {
          ...req.body,
          orgId: auth.orgId,
          eventId: req.params.eventId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    app.get(
      "/:caseId/victims",
      {
        schema: {
          summary: "Victim worklist (identities only for the victim liaison)",
          tags: ["victims"],
          params: CaseIdParamsSchema,
          response: { 200: Items, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "victim.read", req.params.caseId);
        const rows = await listVictimItems(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
        });
        return { items: rows.map(toWire) };
      },
    );
    app.post(
      "/:caseId/victims",
      {
        schema: {
          summary: "Catalogue a depicted or targeted person's item",
          tags: ["victims"],
          params: CaseIdParamsSchema,
          body: VictimItemSchema,
          response: { 201: Created, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "victim.write", req.params.caseId);
        const r = await catalogueVictimItem(cd, {
          ...req.body,
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return reply.status(201).send({ id: r.itemId });
      },
    );
    app.post(
      "/:caseId/victims/:itemId/decisions",
      {
        schema: {
          summary: "Identification, notification decision or referral",
          tags: ["victims"],
          params: ItemParams,
          body: VictimStepSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "victim.decide", req.params.caseId);
        const item = await findVictimItem(deps.db, auth.orgId, req.params.itemId);
        if (item?.caseId !== req.params.caseId) {
          throw notHere("victim item");
        }
        await recordVictimDecision(cd, {
          orgId: auth.orgId,
          itemId: req.params.itemId,
          actor: actorOf(auth),
          step: req.body,
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    app.get(
      "/:caseId/links",
      {
        schema: {
          summary: "Cases sharing a person or an image with this one (only cases I may open)",
          tags: ["links"],
          params: CaseIdParamsSchema,
          response: { 200: Items, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "link.read", req.params.caseId);
        const accessible = (await listAccessibleCases(deps, auth)).map((c) => c.id);
        if (!accessible.includes(req.params.caseId)) {
          accessible.push(req.params.caseId);
        }
        const rows = await findCaseLinks(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          accessibleCaseIds: accessible,
        });
        return { items: rows.map(toWire) };
      },
    );
    return Promise.resolve();
  };
}
