/**
 * @module ingest-export
 * The evidence intake of a chat export end to end: acquire (store the bytes and the acquisition record),
 * then parse into records. A failed parse keeps the evidence and its record, marked failed with the reason.
 */
import type { Readable } from "node:stream";
import type { ChatFormat } from "../domain/formats/chat-format.ts";
import type { DateOrder } from "../domain/formats/chat-record.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import type {
  Acquisition,
  AcquisitionMethod,
  Scope,
} from "../storage/repositories/acquisition.repository.ts";
import { acquireEvidence } from "./acquire-evidence.ts";
import { parseAcquisition, type ParseAcquisitionResult, type ParseProgress } from "./parse-acquisition.ts";

export interface IngestExportRequest {
  orgId: string;
  caseRef: string;
  input: string | Readable;
  originalName?: string | undefined;
  acquiredBy: string;
  method?: AcquisitionMethod | undefined;
  scope: Scope;
  dateOrder?: DateOrder | undefined;
  maxBytes?: number | undefined;
  onProgress?: ((p: ParseProgress) => void) | undefined;
}

export type IngestExportResult =
  | { ok: true; acquisition: Acquisition; parse: ParseAcquisitionResult }
  | { ok: false; acquisition: Acquisition; error: unknown };

/**
 * Never loses the evidence: when parsing fails the result says so (`ok: false`) with the acquisition
 * that was stored. Acquisition failures (no scope, too large, unreadable input) throw AppError.
 */
export async function ingestExport(
  deps: { db: Db; store: EvidenceStore; formats: readonly ChatFormat[]; now?: () => Date },
  req: IngestExportRequest,
): Promise<IngestExportResult> {
  const acquisition = await acquireEvidence(deps, {
    orgId: req.orgId,
    caseRef: req.caseRef,
    input: req.input,
    originalName: req.originalName,
    acquiredBy: req.acquiredBy,
    method: req.method ?? "upload",
    scope: req.scope,
    maxBytes: req.maxBytes,
  });
  try {
    const parse = await parseAcquisition(deps, req.orgId, acquisition.id, {
      dateOrder: req.dateOrder,
      actor: req.acquiredBy,
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    return { ok: true, acquisition: { ...acquisition, status: "parsed" }, parse };
  } catch (error) {
    return { ok: false, acquisition: { ...acquisition, status: "failed" }, error };
  }
}
