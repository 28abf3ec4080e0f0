/**
 * @module case-team.routes
 * Assignments, investigators' notes (never reporter-visible), messages with the reporter, and the
 * reporter's identity (each reveal ledgered by the service).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CaseIdParamsSchema, ErrorBodySchema, OkSchema } from "../../contract/api-common.ts";
import {
  AddNoteRequestSchema,
  AssignmentListSchema,
  AssignRequestSchema,
  AssignResponseSchema,
  IdentityGrantRequestSchema,
  IdResponseSchema,
  NoteListSchema,
  RevealedIdentityListSchema,
  RevealRequestSchema,
  StaffMessageRequestSchema,
  UnassignRequestSchema,
} from "../../contract/api-cases.ts";
import { assignUserToCase } from "../../services/assign-user-to-case.ts";
import { authorizeCaseAction } from "../../services/authorize.ts";
import { addCaseNote } from "../../services/cases/add-case-note.ts";
import { grantIdentityAccess } from "../../services/cases/grant-identity-access.ts";
import { listAssignedUsers } from "../../services/cases/list-assigned-users.ts";
import { listCaseNotes } from "../../services/cases/list-case-notes.ts";
import { readReporterIdentity } from "../../services/cases/read-reporter-identity.ts";
import { sendMessageToReporter } from "../../services/cases/send-message-to-reporter.ts";
import { unassignFromCase } from "../../services/cases/unassign-from-case.ts";
import { listCaseMessages } from "../../services/list-case-messages.ts";
import { actorOf } from "../case-actor.ts";
import type { AppDeps } from "../deps.ts";
import { requireAuth } from "../plugins/auth.ts";
import { z } from "zod";

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const MessageListSchema = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      reportId: z.string(),
      direction: z.string(),
      kind: z.string(),
      body: z.string(),
      authorUserId: z.string().nullable(),
      sentAt: z.string(),
    }),
  ),
});

export function caseTeamRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const cd = { db: deps.db };
  return (app) => {
    app.get(
      "/:caseId/assignments",
      {
        schema: {
          summary: "Who works on the case",
          tags: ["assignments"],
          params: CaseIdParamsSchema,
          response: { 200: AssignmentListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "assignment.read", req.params.caseId);
        const rows = await listAssignedUsers(cd, { orgId: auth.orgId, caseId: req.params.caseId });
        return { assignments: rows.map((a) => ({ ...a, assignedAt: a.assignedAt.toISOString() })) };
      },
    );
    app.post(
      "/:caseId/assignments",
      {
        schema: {
          summary: "Assign a user (refused when the evidence names them)",
          tags: ["assignments"],
          params: CaseIdParamsSchema,
          body: AssignRequestSchema,
          response: { 200: AssignResponseSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        const { reference } = await authorizeCaseAction(deps, auth, "assignment.manage", req.params.caseId);
        return assignUserToCase(deps, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          caseRef: reference,
          userId: req.body.userId,
          role: req.body.role,
          actor: actorOf(auth),
        });
      },
    );
    app.post(
      "/:caseId/assignments/remove",
      {
        schema: {
          summary: "Remove an assignment",
          tags: ["assignments"],
          params: CaseIdParamsSchema,
          body: UnassignRequestSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "assignment.manage", req.params.caseId);
        await unassignFromCase(cd, {
          ...req.body,
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    app.get(
      "/:caseId/notes",
      {
        schema: {
          summary: "Investigators' notes",
          tags: ["notes"],
          params: CaseIdParamsSchema,
          response: { 200: NoteListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "note.read", req.params.caseId);
        const notes = await listCaseNotes(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
        });
        return {
          notes: notes.map((n) => ({
            id: n.id,
            authorUserId: n.authorUserId,
            body: n.body,
            writtenAt: n.writtenAt.toISOString(),
          })),
        };
      },
    );
    app.post(
      "/:caseId/notes",
      {
        schema: {
          summary: "Add a note",
          tags: ["notes"],
          params: CaseIdParamsSchema,
          body: AddNoteRequestSchema,
          response: { 201: IdResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "note.write", req.params.caseId);
        const r = await addCaseNote(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          body: req.body.body,
          now: deps.clock(),
        });
        return reply.status(201).send({ id: r.noteId });
      },
    );
    app.get(
      "/:caseId/messages",
      {
        schema: {
          summary: "Messages with the reporter",
          tags: ["messages"],
          params: CaseIdParamsSchema,
          response: { 200: MessageListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "message.read", req.params.caseId);
        const rows = await listCaseMessages(cd, { orgId: auth.orgId, caseId: req.params.caseId });
        return { messages: rows.map((m) => ({ ...m, sentAt: m.sentAt.toISOString() })) };
      },
    );
    app.post(
      "/:caseId/messages",
      {
        schema: {
          summary: "Write to the reporter",
          tags: ["messages"],
          params: CaseIdParamsSchema,
          body: StaffMessageRequestSchema,
          response: { 201: IdResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "message.send", req.params.caseId);
        const r = await sendMessageToReporter(cd, {
          ...req.body,
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return reply.status(201).send({ id: r.messageId });
      },
    );
    app.post(
      "/:caseId/identity/reveal",
      {
        schema: {
          summary: "Reveal the reporter's identity (purpose required; ledgered)",
          tags: ["identity"],
          params: CaseIdParamsSchema,
          body: RevealRequestSchema,
          response: { 200: RevealedIdentityListSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "identity.reveal", req.params.caseId);
        const identities = await readReporterIdentity(cd, {
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          purpose: req.body.purpose,
          now: deps.clock(),
        });
        return { identities };
      },
    );
    app.post(
      "/:caseId/identity/grants",
      {
        schema: {
          summary: "Grant or revoke access to a confidential reporter's identity (protection officer)",
          tags: ["identity"],
          params: CaseIdParamsSchema,
          body: IdentityGrantRequestSchema,
          response: { 200: OkSchema, ...errors },
        },
      },
      async (req) => {
        const auth = requireAuth(req);
        await authorizeCaseAction(deps, auth, "identity.grant", req.params.caseId);
        await grantIdentityAccess(cd, {
          ...req.body,
          orgId: auth.orgId,
          caseId: req.params.caseId,
          actor: actorOf(auth),
          now: deps.clock(),
        });
        return { ok: true as const };
      },
    );
    return Promise.resolve();
  };
}
