/**
 * @module acquire-evidence
 * Takes a file in as evidence: its bytes go to the content-addressed store unchanged, and its
 * acquisition record (who, when, how, scope, case) is written with a ledger event, before anything
 * tries to parse it. Whatever happens to parsing later, the evidence and its record stay.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "../contract/errors.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import { BlobTooLargeError } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import {
  insertAcquisition,
  type Acquisition,
  type AcquisitionMethod,
  type Scope,
} from "../storage/repositories/acquisition.repository.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";

export interface AcquireEvidenceRequest {
  orgId: string;
  caseRef: string;
  /** A path on disk, or a stream (an HTTP upload). */
  input: string | Readable;
  originalName?: string | undefined;
  acquiredBy: string;
  method: AcquisitionMethod;
  scope: Scope;
  /** Upper bound on accepted bytes. */
  maxBytes?: number | undefined;
}

export const MAX_EVIDENCE_BYTES = 8 * 2 ** 30;

function mediaTypeOf(firstBytes: Buffer | null, name: string): string {
  if (firstBytes && firstBytes[0] === 0x50 && firstBytes[1] === 0x4b) {
    return "application/zip";
  }
  if (/\.txt$/i.test(name)) {
    return "text/plain";
  }
  return "application/octet-stream";
}

/**
 * @throws AppError INVALID_INPUT for an empty case reference or scope statement; TOO_LARGE over maxBytes.
 */
export async function acquireEvidence(
  deps: { db: Db; store: EvidenceStore; now?: () => Date },
  req: AcquireEvidenceRequest,
): Promise<Acquisition> {
  if (!req.caseRef.trim()) {
    throw new AppError("INVALID_INPUT", { userMessage: "a case reference is required" });
  }
  if (!req.scope.statement.trim()) {
    throw new AppError("INVALID_INPUT", {
      userMessage:
        "a scope statement is required: which chat, which dates, why that is necessary and proportionate, who authorised it",
    });
  }
  const name = req.originalName ?? (typeof req.input === "string" ? basename(req.input) : "upload");
  const input =
    typeof req.input === "string" ? createReadStream(req.input, { highWaterMark: 1 << 20 }) : req.input;
  let stored;
  try {
    stored = await deps.store.put(input, { maxBytes: req.maxBytes ?? MAX_EVIDENCE_BYTES });
  } catch (e) {
    if (e instanceof BlobTooLargeError) {
      throw new AppError("TOO_LARGE", {
        userMessage: `the file is larger than ${e.maxBytes} bytes`,
        cause: e,
      });
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("NOT_FOUND", { userMessage: `no such file: ${name}`, cause: e });
    }
    throw e;
  }
  const head = await firstBytes(deps.store, stored.sha256);
  const acquiredAt = (deps.now ?? (() => new Date()))();
  return deps.db.transaction(async (tx) => {
    const acq = await insertAcquisition(tx, {
      orgId: req.orgId,
      caseRef: req.caseRef.trim(),
      sha256: stored.sha256,
      sizeBytes: stored.size,
      originalName: name,
      mediaType: mediaTypeOf(head, name),
      acquiredBy: req.acquiredBy,
      acquiredAt,
      method: req.method,
      scope: req.scope,
    });
    await appendLedgerEvent(tx, {
      orgId: req.orgId,
      eventType: "evidence.acquired",
      caseRef: acq.caseRef,
      actor: req.acquiredBy,
      occurredAt: acquiredAt,
      payload: {
        acquisitionId: acq.id,
        sha256: acq.sha256,
        sizeBytes: acq.sizeBytes,
        originalName: acq.originalName,
        method: acq.method,
        scope: req.scope,
      },
    });
    return acq;
  });
}

async function firstBytes(store: EvidenceStore, sha: string): Promise<Buffer | null> {
  if ((await store.size(sha)) === 0) {
    return null;
  }
  for await (const chunk of store.read(sha, { start: 0, end: 3 })) {
    return chunk as Buffer;
  }
  return null;
}
