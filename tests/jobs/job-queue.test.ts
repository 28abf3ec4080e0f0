/**
 * pg-boss over the Db port, on whichever engine the run uses: a job runs, records progress and result;
 * a failing job records its reason; an invalid payload is refused on enqueue.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_FORMATS } from "../../src/domain/formats/registry.ts";
import { createJobHandlers } from "../../src/jobs/job-handlers.ts";
import { startJobQueue, type JobQueue } from "../../src/jobs/job-queue.ts";
import { createDiskEvidenceStore } from "../../src/storage/blobs/evidence-store.ts";
import type { TestDb } from "../../src/storage/test-databases.ts";
import { useTestDb } from "../helpers/test-db.ts";

const ORG = "00000000-0000-0000-0000-000000000001";
let t: TestDb;
let q: JobQueue;
let dir: string;

beforeAll(async () => {
  t = await useTestDb();
  dir = await mkdtemp(join(tmpdir(), "ups-jobs-"));
  const store = createDiskEvidenceStore(join(dir, "evidence"));
  q = await startJobQueue({
    db: t.db,
    handlers: createJobHandlers({ db: t.db, store, formats: CHAT_FORMATS, clock: () => new Date() }),
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await q.stop();
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

async function waitFor(
  id: string,
  states: string[],
): Promise<NonNullable<Awaited<ReturnType<JobQueue["status"]>>>> {
  for (let i = 0; i < 120; i++) {
    const s = await q.status(ORG, id);
    if (s && states.includes(s.state)) {
      return s;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${id} never reached ${states.join("/")}`);
}

const base = {
  orgId: ORG,
  caseRef: "UPS-TEST-1",
  originalName: "chat.txt",
  mediaType: "text/plain",
  acquiredBy: "tester",
  method: "upload" as const,
  scopeStatement: "one group",
  scopeChat: null,
  scopeDateFrom: null,
  scopeDateTo: null,
  scopeJustification: null,
  scopeAuthorisedBy: null,
};

describe("job queue on pg-boss", () => {
  it("should run export.ingest to completion and store the acquisition", async () => {
    const file = join(dir, "in-1.txt");
    await writeFile(
      file,
      "13/03/2017, 09:01 - Sample User: This is a test message\n13/03/2017, 09:02 - Mallory: hi\n",
    );
    const id = await q.enqueue(
      "export.ingest",
      { ...base, filePath: file },
      { orgId: ORG, caseRef: base.caseRef },
    );
    const s = await waitFor(id, ["completed", "failed"]);
    expect(s.state).toBe("completed");
    expect(s.progress).toBe(1);
    expect(s.attempts).toBe(1);
    const rows = await t.db.query("SELECT status FROM acquisitions WHERE case_ref = $1", [base.caseRef]);
    expect(rows.map((r) => r.status)).toContain("parsed");
  });

  it("should record the failure reason when the handler fails", async () => {
    const id = await q.enqueue(
      "export.ingest",
      { ...base, filePath: join(dir, "missing.txt") },
      { orgId: ORG },
    );
    const s = await waitFor(id, ["retrying", "failed"]);
    expect(s.failureReason).toMatch(/ENOENT|no such file/i);
  });

  it("should refuse an invalid payload on enqueue", async () => {
    await expect(q.enqueue("export.ingest", { ...base, filePath: "", orgId: "nope" })).rejects.toThrow();
  });
});

describe("clock.sweep", () => {
  it("should run the sweep through the queue and record its result", async () => {
    const id = await q.enqueue("clock.sweep", { orgId: ORG }, { orgId: ORG });
    const s = await waitFor(id, ["completed", "failed"]);
    expect(s.state).toBe("completed");
    const [row] = await t.db.query("SELECT result FROM job_runs WHERE job_id = $1", [id]);
    expect(JSON.stringify(row?.result)).toContain("reminders");
  });
});
