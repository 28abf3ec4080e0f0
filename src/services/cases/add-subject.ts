/**
 * @module add-subject
 * Adds a person the case is about and opens their allegation under the regime their status routes to
 * (one allegation per subject per regime), in the workflow's initial state.
 */
import { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { personKey } from "../../domain/people/person-key.ts";
import { regimeFor, SUBJECT_STATUSES } from "../../domain/workflow/subjects.ts";
import {
  insertAllegation,
  insertManager,
  insertSubject,
  selectSubjects,
} from "../../storage/repositories/allegation.repository.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { configOf, found, parseInput, requireRole, workflowOf, type CaseDeps } from "./case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "./case-schemas.ts";

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  name: z.string().trim().min(1).max(300),
  status: z.enum(SUBJECT_STATUSES),
  roleTitle: z.string().trim().max(300).optional(),
  /** The management chain, line manager first. */
  managers: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
  summary: TextSchema,
  now: NowSchema,
});
export type AddSubjectInput = z.input<typeof Schema>;

export interface AddedSubject {
  subjectId: string;
  allegationId: string;
  regime: string;
  state: string;
}

/**
 * A subject already on the case (same normalised name) gets the new allegation if its regime differs.
 * @throws AppError CONFLICT when the subject already has an allegation under that regime
 */
export async function addSubject(deps: CaseDeps, input: AddSubjectInput): Promise<AddedSubject> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, ["intake_officer", "appropriate_authority", "investigator"], "adding a subject");
  const cfg = configOf(deps);
  const now = inp.now ?? new Date();
  const nameKey = personKey(inp.name);
  const regime = regimeFor(inp.status, cfg.regimeByStatus);
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const wf = workflowOf(deps, c.workflowId);
    const existing = (await selectSubjects(tx, inp.orgId, inp.caseId)).find((s) => s.nameKey === nameKey);
    const subject =
      existing ??
      (await insertSubject(tx, {
        orgId: inp.orgId,
        caseId: inp.caseId,
        displayName: inp.name,
        nameKey,
        status: inp.status,
        roleTitle: inp.roleTitle ?? null,
        at: now,
      }));
    for (const [i, m] of inp.managers.entries()) {
      await insertManager(tx, {
        orgId: inp.orgId,
        subjectId: subject.id,
        level: i + 1,
        displayName: m,
        nameKey: personKey(m),
      });
    }
    const allegationId = await insertAllegation(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      subjectId: subject.id,
      regime,
      state: wf.initial,
      summary: inp.summary,
      at: now,
    });
    if (!allegationId) {
      throw new AppError("CONFLICT", {
        userMessage: `${inp.name} already has an allegation under ${regime} on this case`,
      });
    }
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "allegation.created",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: {
        caseId: inp.caseId,
        subjectId: subject.id,
        allegationId,
        status: inp.status,
        regime,
        state: wf.initial,
      },
      occurredAt: now,
    });
    return { subjectId: subject.id, allegationId, regime, state: wf.initial };
  });
}
