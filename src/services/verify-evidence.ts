/**
 * @module verify-evidence
 * Re-hashes every file in the evidence store and checks that every hash the database refers to is
 * present. Any mismatch is reported; the CLI exits non-zero on any.
 */
import type { BlobCheck, EvidenceStore } from "../storage/blobs/evidence-store.ts";
import type { Db } from "../storage/db.ts";
import { listReferencedHashes } from "../storage/repositories/acquisition.repository.ts";

export interface EvidenceProblem {
  sha256: string;
  problem: string;
}

export interface EvidenceVerification {
  filesChecked: number;
  referencesChecked: number;
  problems: EvidenceProblem[];
}

export async function verifyEvidence(
  deps: { db: Db; store: EvidenceStore },
  onEach?: (c: BlobCheck) => void,
): Promise<EvidenceVerification> {
  const checks = await deps.store.verifyAll(onEach);
  const problems: EvidenceProblem[] = checks
    .filter((c) => !c.ok)
    .map((c) => ({ sha256: c.sha256, problem: c.problem ?? "mismatch" }));
  const present = new Set(checks.filter((c) => c.ok).map((c) => c.sha256));
  const refs = await listReferencedHashes(deps.db);
  for (const r of refs) {
    if (!present.has(r.sha256) && !problems.some((p) => p.sha256 === r.sha256)) {
      problems.push({ sha256: r.sha256, problem: `missing from the evidence store (${r.source})` });
    }
  }
  return { filesChecked: checks.length, referencesChecked: refs.length, problems };
}
