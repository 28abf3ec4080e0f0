/**
 * @module read-reporter-view
 * What a reporter sees: the case reference, a plain status and the messages exchanged with them.
 * Investigators' notes live in another table that this use case never reads.
 */
import { findCase } from "../../storage/repositories/case.repository.ts";
import { selectAllegations } from "../../storage/repositories/allegation.repository.ts";
import { selectReporterMessages, type MessageKind } from "../../storage/repositories/message.repository.ts";
import { found, type CaseDeps } from "./case-deps.ts";
import type { ReporterAccess } from "./authenticate-reporter.ts";

export type ReporterStatus = "received" | "being_assessed" | "not_recorded" | "in_progress" | "closed";

export interface ReporterView {
  reference: string;
  status: ReporterStatus;
  messages: {
    id: string;
    direction: "to_reporter" | "from_reporter";
    kind: MessageKind;
    body: string;
    sentAt: Date;
  }[];
}

/** A status the reporter may see, derived from the allegations' states without revealing them. */
export function reporterStatus(states: readonly string[], caseClosed: boolean): ReporterStatus {
  if (caseClosed) return "closed";
  if (states.length === 0) return "received";
  if (states.some((s) => s === "received" || s === "triage")) return "being_assessed";
  if (states.every((s) => s === "not_recorded" || s === "closed")) {
    return states.every((s) => s === "closed") ? "closed" : "not_recorded";
  }
  return "in_progress";
}

/** The reporter's view of their report. */
export async function readReporterView(deps: CaseDeps, access: ReporterAccess): Promise<ReporterView> {
  const c = found(await findCase(deps.db, access.orgId, access.caseId), "case");
  const allegations = await selectAllegations(deps.db, access.orgId, access.caseId);
  const messages = await selectReporterMessages(deps.db, access.orgId, access.reportId);
  return {
    reference: c.reference,
    status: reporterStatus(
      allegations.map((a) => a.state),
      c.closedAt !== null,
    ),
    // Author ids are left out: the reporter sees that the organisation wrote, not which officer.
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      kind: m.kind,
      body: m.body,
      sentAt: m.sentAt,
    })),
  };
}
