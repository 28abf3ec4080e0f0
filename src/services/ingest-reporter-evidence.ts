/**
 * @module ingest-reporter-evidence
 * A chat export a reporter attaches to their report goes through the same evidence intake as any other
 * (content-addressed store, acquisition record with the reporter's scope statement, parse), recorded as
 * provided by the reporter. Only what the reporter chose to send is taken.
 */
import { createReadStream } from "node:fs";
import { AppError } from "../contract/errors.ts";
import type { ChatFormat } from "../domain/formats/chat-format.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import { findCase } from "../storage/repositories/case.repository.ts";
import type { ReporterAccess } from "./cases/authenticate-reporter.ts";
import { ingestExport, type IngestExportResult } from "./ingest-export.ts";

export async function ingestReporterEvidence(
  deps: { db: Db; store: EvidenceStore; formats: readonly ChatFormat[]; clock: () => Date; maxBytes: number },
  access: ReporterAccess,
  file: { path: string; label: string },
  scope: {
    statement: string;
    chat?: string | undefined;
    dateFrom?: string | undefined;
    dateTo?: string | undefined;
  },
): Promise<IngestExportResult> {
  const c = await findCase(deps.db, access.orgId, access.caseId);
  if (!c) {
    throw new AppError("NOT_FOUND", { userMessage: "report not found" });
  }
  return ingestExport(
    { db: deps.db, store: deps.store, formats: deps.formats, now: deps.clock },
    {
      orgId: access.orgId,
      caseRef: c.reference,
      input: createReadStream(file.path),
      originalName: file.label,
      // The report, not a person: an anonymous reporter stays anonymous in the acquisition record.
      acquiredBy: `reporter of report ${access.reportId}`,
      method: "provided_by_reporter",
      scope: {
        statement: scope.statement,
        chat: scope.chat ?? null,
        dateFrom: scope.dateFrom ?? null,
        dateTo: scope.dateTo ?? null,
        justification: "provided by the reporter with their report",
        authorisedBy: null,
      },
      maxBytes: deps.maxBytes,
    },
  );
}
