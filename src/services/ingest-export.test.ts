import { createHash } from "node:crypto";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../tests/helpers/test-db.ts";
import { makeZip, renameEntry } from "../../tests/helpers/zip.ts";
import { CHAT_FORMATS } from "../domain/formats/registry.ts";
import { createDiskEvidenceStore, type EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { TestDb } from "../storage/test-databases.ts";
import { ingestExport } from "./ingest-export.ts";
import { parseAcquisition } from "./parse-acquisition.ts";
import { DEFAULT_ORG_ID } from "./runtime.ts";
import { verifyEvidence } from "./verify-evidence.ts";
import { verifyLedger } from "./verify-ledger.ts";

const CHAT = [
  "12/03/2024, 09:15 - Dave Smith: morning all",
  "12/03/2024, 09:16 - Sarah Jones: morning",
  "second line",
  "13/03/2024, 10:00 - Dave Smith: IMG-20240313-WA0001.jpg (file attached)",
  "look at this",
  "13/03/2024, 10:01 - Tom left",
  "",
].join("\n");

const scope = {
  statement: "Team group chat, March 2024, the messages reported on 14 March; authorised by DI Khan",
};

describe("ingestExport", () => {
  let t: TestDb;
  let store: EvidenceStore;
  let dir: string;
  beforeAll(async () => {
    t = await useTestDb();
    dir = await mkdtemp(join(tmpdir(), "ingest-"));
    store = createDiskEvidenceStore(join(dir, "evidence"));
  });
  afterAll(() => t.drop());
  const deps = () => ({ db: t.db, store, formats: CHAT_FORMATS });
  const req = (input: string, originalName?: string) => ({
    orgId: DEFAULT_ORG_ID,
    caseRef: "PSD-2026-001",
    input,
    originalName,
    acquiredBy: "DS Okafor",
    scope,
  });

  it("should store the file byte for byte, record its acquisition and parse its records", async () => {
    const p = join(dir, "WhatsApp Chat with Team.txt");
    await writeFile(p, CHAT);
    const r = await ingestExport(deps(), req(p));
    expect(r.ok).toBe(true);
    const sha = createHash("sha256").update(CHAT).digest("hex");
    expect(r.acquisition.sha256).toBe(sha);
    expect(await readFile(store.localPath(sha), "utf8")).toBe(CHAT);
    const [acq] = await t.db.query<{ status: string; scope_statement: string; acquired_by: string }>(
      "SELECT status, scope_statement, acquired_by FROM acquisitions WHERE id = $1",
      [r.acquisition.id],
    );
    expect(acq).toEqual({ status: "parsed", scope_statement: scope.statement, acquired_by: "DS Okafor" });
    const recs = await t.db.query<{ idx: number; kind: string; body: string; ts: string; line: number }>(
      "SELECT r.idx, r.kind, r.body, r.ts, r.line FROM chat_records r JOIN chat_exports e ON e.id = r.export_id WHERE e.acquisition_id = $1 ORDER BY idx",
      [r.acquisition.id],
    );
    expect(recs.map((x) => [x.kind, x.line])).toEqual([
      ["message", 1],
      ["message", 2],
      ["message", 4],
      ["system", 6],
    ]);
    expect(recs[1]?.body).toBe("morning\nsecond line");
    expect(recs[0]?.ts).toBe("2024-03-12 09:15:00");
    const parts = await t.db.query<{ display_name: string; message_count: number }>(
      "SELECT p.display_name, p.message_count FROM chat_participants p JOIN chat_exports e ON e.id = p.export_id WHERE e.acquisition_id = $1 ORDER BY 1",
      [r.acquisition.id],
    );
    expect(parts).toEqual([
      { display_name: "Dave Smith", message_count: 2 },
      { display_name: "Sarah Jones", message_count: 1 },
    ]);
  });

  it("should be a no-op to parse the same acquisition again", async () => {
    const p = join(dir, "again.txt");
    await writeFile(p, CHAT);
    const r = await ingestExport(deps(), req(p));
    if (!r.ok) {
      throw new Error("ingest failed");
    }
    const again = await parseAcquisition(deps(), DEFAULT_ORG_ID, r.acquisition.id, { actor: "test" });
    expect(again).toMatchObject({ alreadyParsed: true, exportId: r.parse.exportId });
    const [n] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM chat_records WHERE export_id = $1",
      [r.parse.exportId],
    );
    expect(n?.n).toBe(4);
  });

  it("should store each zip member with its hash and link attachments named in the chat", async () => {
    const img = Buffer.from("\xff\xd8\xff fake jpeg bytes", "latin1");
    const zip = await makeZip([
      { name: "_chat.txt", data: CHAT },
      { name: "IMG-20240313-WA0001.jpg", data: img },
    ]);
    const p = join(dir, "WhatsApp Chat - Team.zip");
    await writeFile(p, zip);
    const r = await ingestExport(deps(), req(p));
    if (!r.ok) {
      throw r.error;
    }
    const members = await t.db.query<{ path: string; sha256: string; role: string }>(
      "SELECT path, sha256, role FROM archive_members WHERE acquisition_id = $1 ORDER BY path",
      [r.acquisition.id],
    );
    const imgSha = createHash("sha256").update(img).digest("hex");
    expect(members).toEqual([
      { path: "IMG-20240313-WA0001.jpg", sha256: imgSha, role: "media" },
      { path: "_chat.txt", sha256: createHash("sha256").update(CHAT).digest("hex"), role: "chat_text" },
    ]);
    const att = await t.db.query<{ record_idx: number; sha256: string }>(
      "SELECT record_idx, sha256 FROM record_attachments WHERE export_id = $1",
      [r.parse.exportId],
    );
    expect(att).toEqual([{ record_idx: 2, sha256: imgSha }]);
  });

  it("should keep the evidence and its record when the file is not a chat export, and say why", async () => {
    const p = join(dir, "notes.txt");
    await writeFile(p, "Shopping list\nmilk\neggs\n");
    const r = await ingestExport(deps(), req(p));
    expect(r.ok).toBe(false);
    expect(await store.has(r.acquisition.sha256)).toBe(true);
    const [acq] = await t.db.query<{ status: string; failure_reason: string }>(
      "SELECT status, failure_reason FROM acquisitions WHERE id = $1",
      [r.acquisition.id],
    );
    expect(acq?.status).toBe("failed");
    expect(acq?.failure_reason).toMatch(/not .*chat export/i);
    const [n] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM chat_exports WHERE acquisition_id = $1",
      [r.acquisition.id],
    );
    expect(n?.n).toBe(0);
  });

  it("should refuse an unsafe zip, keep it as evidence, and write nothing parsed", async () => {
    const zip = renameEntry(
      await makeZip([
        { name: "_chat.txt", data: CHAT },
        { name: "aa/x.jpg", data: "x" },
      ]),
      "aa/x.jpg",
      "../x.jpg",
    );
    const p = join(dir, "evil.zip");
    await writeFile(p, zip);
    const r = await ingestExport(deps(), req(p));
    expect(r.ok).toBe(false);
    const [acq] = await t.db.query<{ status: string; failure_reason: string }>(
      "SELECT status, failure_reason FROM acquisitions WHERE id = $1",
      [r.acquisition.id],
    );
    expect(acq).toMatchObject({ status: "failed" });
    expect(acq?.failure_reason).toMatch(/path traversal/);
    const [m] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM archive_members WHERE acquisition_id = $1",
      [r.acquisition.id],
    );
    expect(m?.n).toBe(0);
  });

  it("should refuse an acquisition without a scope statement", async () => {
    const p = join(dir, "noscope.txt");
    await writeFile(p, CHAT);
    await expect(ingestExport(deps(), { ...req(p), scope: { statement: "  " } })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });

  it("should keep the ledger intact and detect a stored file that was altered", async () => {
    expect(await verifyLedger({ db: t.db }, DEFAULT_ORG_ID)).toMatchObject({ intact: true });
    const before = await verifyEvidence({ db: t.db, store });
    expect(before.problems).toEqual([]);
    const sha = createHash("sha256").update(CHAT).digest("hex");
    await chmod(store.localPath(sha), 0o644);
    await writeFile(store.localPath(sha), CHAT.replace("morning all", "evening all"));
    const after = await verifyEvidence({ db: t.db, store });
    expect(after.problems).toEqual([
      { sha256: sha, problem: expect.stringMatching(/content hashes to/) as unknown },
    ]);
  });
});
