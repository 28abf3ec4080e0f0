/**
 * @module view-evidence
 * Lists a case's acquisitions and reads parsed records. Every read is ledgered (evidence.viewed) with what
 * was shown, in the same transaction as the read.
 */
import { AppError } from "../contract/errors.ts";
import type { Db } from "../storage/db.ts";
import {
  findAcquisition,
  listAcquisitionsForCase,
  type Acquisition,
} from "../storage/repositories/acquisition.repository.ts";
import {
  selectRecordsOfAcquisition,
  type EvidenceRecordRow,
} from "../storage/repositories/evidence-read.repository.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";

interface ViewDeps {
  db: Db;
  clock: () => Date;
}

export async function listEvidence(
  deps: ViewDeps,
  input: { orgId: string; caseId: string; caseRef: string; actor: string },
): Promise<Acquisition[]> {
  return deps.db.transaction(async (tx) => {
    // Acquisitions may be keyed by the case reference or, from older tools, the case id.
    const rows = [
      ...(await listAcquisitionsForCase(tx, input.orgId, input.caseRef)),
      ...(await listAcquisitionsForCase(tx, input.orgId, input.caseId)),
    ];
    await appendLedgerEvent(tx, {
      orgId: input.orgId,
      eventType: "evidence.viewed",
      caseRef: input.caseRef,
      actor: input.actor,
      payload: { view: "list", acquisitionIds: rows.map((r) => r.id) },
      occurredAt: deps.clock(),
    });
    return rows;
  });
}

/** @throws AppError NOT_FOUND when the acquisition is not this case's */
export async function readEvidenceRecords(
  deps: ViewDeps,
  input: {
    orgId: string;
    caseId: string;
    caseRef: string;
    acquisitionId: string;
    actor: string;
    offset: number;
    limit: number;
  },
): Promise<{
  acquisition: Acquisition;
  exportId: string | null;
  total: number;
  records: EvidenceRecordRow[];
}> {
  return deps.db.transaction(async (tx) => {
    const acq = await findAcquisition(tx, input.orgId, input.acquisitionId);
    if (!acq || (acq.caseRef !== input.caseRef && acq.caseRef !== input.caseId)) {
      throw new AppError("NOT_FOUND", { userMessage: "no such evidence in this case" });
    }
    const page = await selectRecordsOfAcquisition(tx, input.orgId, acq.id, {
      offset: input.offset,
      limit: input.limit,
    });
    await appendLedgerEvent(tx, {
      orgId: input.orgId,
      eventType: "evidence.viewed",
      caseRef: input.caseRef,
      actor: input.actor,
      payload: {
        view: "records",
        acquisitionId: acq.id,
        sha256: acq.sha256,
        from: input.offset,
        count: page.records.length,
      },
      occurredAt: deps.clock(),
    });
    return { acquisition: acq, ...page };
  });
}
