import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  createChainVerifier,
  entryHash,
  GENESIS_HASH,
  type LedgerEntry,
} from "./hash-chain.ts";

function chain(n: number): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      orgId: "org",
      seq,
      eventType: "report.received",
      caseRef: "C-1",
      actor: "intake",
      occurredAt: new Date(Date.UTC(2026, 0, seq)).toISOString(),
      payload: { n: seq, nested: { b: 1, a: [1, 2] } },
    };
    const hash = entryHash(prev, content);
    out.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

function verify(entries: LedgerEntry[]) {
  const v = createChainVerifier();
  entries.forEach((e) => v.push(e));
  return v.result();
}

describe("hash chain", () => {
  it("should serialise objects with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("should report an intact chain", () => {
    expect(verify(chain(5))).toMatchObject({ intact: true, entries: 5 });
  });

  it("should find the first tampered entry", () => {
    const c = chain(5);
    c[2] = { ...c[2]!, payload: { n: 99 } };
    expect(verify(c)).toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });

  it("should detect a removed entry", () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verify(c)).toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });

  it("should detect a rewritten tail even when hashes are recomputed from a forged middle", () => {
    const c = chain(4);
    const forged = { ...c[1]!, actor: "someone else" };
    forged.hash = entryHash(forged.prevHash, forged);
    c[1] = forged;
    // entry 3 still points at the original hash of entry 2
    expect(verify(c)).toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });
});
