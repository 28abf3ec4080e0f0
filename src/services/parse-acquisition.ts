/**
 * @module parse-acquisition
 * Parses an acquired file into records. Reads the stored bytes (so what is parsed is exactly what was
 * hashed), stores each zip member under its own hash, and writes the export, its records, attachments
 * and participants in ONE transaction: a failure leaves no half-parsed export, and the acquisition is
 * marked failed with the reason. Running it again for the same acquisition and parser version is a no-op.
 */
import { basename } from "node:path";
import { AppError, isAppError } from "../contract/errors.ts";
import type { ChatFormat } from "../domain/formats/chat-format.ts";
import type { ChatRecord, DateOrder, ParseSummary } from "../domain/formats/chat-record.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import { findAcquisition, setAcquisitionStatus } from "../storage/repositories/acquisition.repository.ts";
import {
  findChatExport,
  finaliseChatExport,
  insertArchiveMembers,
  insertChatExport,
  insertParticipants,
  insertRecordAttachments,
  insertRecordBatch,
  type ArchiveMemberRow,
  type ParticipantStat,
  type RecordAttachmentRow,
} from "../storage/repositories/chat-export.repository.ts";
import { appendLedgerEvent } from "../storage/repositories/ledger.repository.ts";
import { openExportSource } from "./open-export-source.ts";

export interface ParseProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
}

export interface ParseAcquisitionResult {
  exportId: string;
  summary: ParseSummary | null;
  /** True when this parser version had already parsed the acquisition. */
  alreadyParsed: boolean;
  mediaStored: number;
}

export interface ParseAcquisitionDeps {
  db: Db;
  store: EvidenceStore;
  formats: readonly ChatFormat[];
}

/** Picks the format that recognises the sample with the highest confidence. */
export function chooseFormat(formats: readonly ChatFormat[], sample: string): ChatFormat | null {
  let best: { f: ChatFormat; c: number } | null = null;
  for (const f of formats) {
    const c = f.recognise(sample);
    if (c > 0 && (!best || c > best.c)) {
      best = { f, c };
    }
  }
  return best?.f ?? null;
}

const versionOf = (f: ChatFormat): string => `${f.id}@${f.version ?? "1"}`;

async function sampleOf(src: AsyncIterable<Uint8Array>, max = 64 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of src) {
    parts.push(Buffer.from(c));
    n += c.length;
    if (n >= max) {
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, max).toString("utf8");
}

/**
 * @throws AppError NOT_FOUND for an unknown acquisition; parse failures are recorded on the acquisition
 *   and rethrown as the AppError that caused them.
 */
export async function parseAcquisition(
  deps: ParseAcquisitionDeps,
  orgId: string,
  acquisitionId: string,
  opts: { dateOrder?: DateOrder | undefined; actor: string; onProgress?: (p: ParseProgress) => void },
): Promise<ParseAcquisitionResult> {
  const acq = await findAcquisition(deps.db, orgId, acquisitionId);
  if (!acq) {
    throw new AppError("NOT_FOUND", { userMessage: `no acquisition ${acquisitionId}` });
  }

  let opened;
  try {
    opened = await openExportSource(deps.store.localPath(acq.sha256), {
      recognise: (s) => Math.max(0, ...deps.formats.map((f) => f.recognise(s))),
    });
  } catch (e) {
    await recordFailure(deps.db, acq.id, orgId, acq.caseRef, opts.actor, e);
    throw e;
  }
  try {
    const format = chooseFormat(deps.formats, await sampleOf(opened.source.open()));
    if (!format) {
      throw new AppError("UNRECOGNISED_FORMAT", {
        userMessage: `${acq.originalName} is not a chat export this version can read`,
      });
    }
    const parserVersion = versionOf(format);
    const existing = await findChatExport(deps.db, acq.id, parserVersion);
    if (existing) {
      return { exportId: existing.id, summary: null, alreadyParsed: true, mediaStored: 0 };
    }

    // Media first, outside the transaction: each member lands in the store under its own hash.
    const members: ArchiveMemberRow[] = [];
    const chatTotal = opened.container === "zip" ? 0 : acq.sizeBytes;
    if (opened.container === "zip" && opened.openMember) {
      for (const m of opened.media) {
        const stored = await deps.store.put(await opened.openMember(m.path), { maxBytes: m.size });
        members.push({ path: m.path, sha256: stored.sha256, sizeBytes: stored.size, role: "media" });
      }
      if (opened.chatMember) {
        const stored = await deps.store.put(await opened.openMember(opened.chatMember));
        members.push({
          path: opened.chatMember,
          sha256: stored.sha256,
          sizeBytes: stored.size,
          role: "chat_text",
        });
      }
    }
    const totalBytes = members.find((m) => m.role === "chat_text")?.sizeBytes ?? chatTotal;
    const byName = new Map(members.filter((m) => m.role === "media").map((m) => [basename(m.path), m]));

    await setAcquisitionStatus(deps.db, acq.id, "parsing");
    const result = await deps.db.transaction(async (tx) => {
      const exportId = await insertChatExport(tx, {
        orgId,
        acquisitionId: acq.id,
        parserVersion,
        format: format.id,
      });
      await insertArchiveMembers(tx, orgId, acq.id, members);
      const participants = new Map<string, ParticipantStat>();
      const gen = format.parse(opened.source, {
        ...(opts.dateOrder ? { dateOrder: opts.dateOrder } : {}),
        titleHint: acq.originalName,
      });
      let records = 0;
      let step = await gen.next();
      while (!step.done) {
        const batch: ChatRecord[] = step.value;
        await insertRecordBatch(tx, orgId, exportId, batch);
        await insertRecordAttachments(tx, orgId, exportId, attachmentRows(batch, byName));
        countParticipants(participants, batch);
        records += batch.length;
        const last = batch[batch.length - 1];
        if (last) {
          opts.onProgress?.({ bytesRead: last.byteOffset + last.byteLength, totalBytes, records });
        }
        step = await gen.next();
      }
      const summary = step.value;
      await finaliseChatExport(tx, exportId, summary);
      await insertParticipants(tx, orgId, exportId, [...participants.values()]);
      await tx.query("UPDATE acquisitions SET status = 'parsed', failure_reason = NULL WHERE id = $1", [
        acq.id,
      ]);
      await appendLedgerEvent(tx, {
        orgId,
        eventType: "evidence.parsed",
        caseRef: acq.caseRef,
        actor: opts.actor,
        payload: {
          acquisitionId: acq.id,
          exportId,
          parserVersion,
          records: summary.recordCount,
          messages: summary.messageCount,
          issues: summary.issues.length + summary.issuesTruncated,
          dateOrder: summary.dateOrder,
          media: members.length,
        },
      });
      return { exportId, summary };
    });
    return { ...result, alreadyParsed: false, mediaStored: members.filter((m) => m.role === "media").length };
  } catch (e) {
    await recordFailure(deps.db, acq.id, orgId, acq.caseRef, opts.actor, e);
    throw e;
  } finally {
    await opened.close();
  }
}

function attachmentRows(batch: ChatRecord[], byName: Map<string, ArchiveMemberRow>): RecordAttachmentRow[] {
  const rows: RecordAttachmentRow[] = [];
  for (const r of batch) {
    r.attachments.forEach((a, position) => {
      const m = byName.get(a.fileName);
      rows.push({
        recordIdx: r.index,
        position,
        fileName: a.fileName,
        memberPath: m?.path ?? null,
        sha256: m?.sha256 ?? null,
      });
    });
  }
  return rows;
}

function countParticipants(map: Map<string, ParticipantStat>, batch: ChatRecord[]): void {
  for (const r of batch) {
    if (r.kind !== "message" || r.authorKey === null || r.author === null) {
      continue;
    }
    const p = map.get(r.authorKey);
    if (!p) {
      map.set(r.authorKey, {
        authorKey: r.authorKey,
        displayName: r.author,
        messageCount: 1,
        firstTs: r.timestamp,
        lastTs: r.timestamp,
      });
    } else {
      p.messageCount++;
      if (p.firstTs === null || r.timestamp < p.firstTs) {
        p.firstTs = r.timestamp;
      }
      if (p.lastTs === null || r.timestamp > p.lastTs) {
        p.lastTs = r.timestamp;
      }
    }
  }
}

async function recordFailure(
  db: Db,
  acquisitionId: string,
  orgId: string,
  caseRef: string,
  actor: string,
  e: unknown,
): Promise<void> {
  const reason = isAppError(e) ? e.userMessage : e instanceof Error ? e.message : String(e);
  await db.transaction(async (tx) => {
    await tx.query("UPDATE acquisitions SET status = 'failed', failure_reason = $2 WHERE id = $1", [
      acquisitionId,
      reason,
    ]);
    await appendLedgerEvent(tx, {
      orgId,
      eventType: "evidence.parse_failed",
      caseRef,
      actor,
      payload: { acquisitionId, reason },
    });
  });
}
