/**
 * @module job-handlers
 * The handler of every job, checked by `satisfies JobHandlers` so a job without a handler does not compile.
 */
import { open, rm } from "node:fs/promises";
import type { ChatFormat } from "../domain/formats/chat-format.ts";
import { runClockSweep } from "../services/cases/run-clock-sweep.ts";
import { ingestExport } from "../services/ingest-export.ts";
import type { EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import type { JobHandlers } from "./job-definitions.ts";

export interface JobHandlerDeps {
  db: Db;
  store: EvidenceStore;
  formats: readonly ChatFormat[];
  clock: () => Date;
}

export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    "export.ingest": async (p, ctx) => {
      let lastWritten = 0;
      // Opened first so a missing file fails this attempt with its reason instead of a stray stream error.
      const fh = await open(p.filePath, "r");
      const r = await ingestExport(
        { db: deps.db, store: deps.store, formats: deps.formats, now: deps.clock },
        {
          orgId: p.orgId,
          caseRef: p.caseRef,
          input: fh.createReadStream(),
          originalName: p.originalName,
          acquiredBy: p.acquiredBy,
          method: p.method,
          scope: {
            statement: p.scopeStatement,
            chat: p.scopeChat,
            dateFrom: p.scopeDateFrom,
            dateTo: p.scopeDateTo,
            justification: p.scopeJustification,
            authorisedBy: p.scopeAuthorisedBy,
          },
          onProgress: (pr) => {
            // Parsing reports often; write at most every 5 % so progress does not cost a query per batch.
            const f = pr.totalBytes > 0 ? pr.bytesRead / pr.totalBytes : 0;
            if (f - lastWritten < 0.05) {
              return;
            }
            lastWritten = f;
            void ctx.progress(f, `parsing: ${pr.records} records`);
          },
        },
      );
      // The bytes are now in the evidence store under their hash; the incoming copy can go.
      await rm(p.filePath, { force: true });
      if (!r.ok) {
        return { status: "skipped", reason: `stored but not parsed: ${errorText(r.error)}` };
      }
      return { status: "success", result: { acquisitionId: r.acquisition.id } };
    },
    "clock.sweep": async (p) => {
      const r = await runClockSweep({ db: deps.db }, { now: deps.clock(), orgId: p.orgId });
      return { status: "success", result: { reminders: r.reminders, breaches: r.breaches } };
    },
  } satisfies JobHandlers;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
