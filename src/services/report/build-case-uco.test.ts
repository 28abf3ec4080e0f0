import { describe, expect, it } from "vitest";
import { hostileRecords, hostileReport } from "../../domain/report/report-fixture.test-helpers.ts";
import { buildCaseUcoBundle } from "./build-case-uco.ts";
import { validateCaseUco } from "./validate-case-uco.ts";

type N = Record<string, unknown>;
const bundle = buildCaseUcoBundle(hostileReport(), hostileRecords());
const byType = (t: string): N[] => bundle["@graph"].filter((n) => n["@type"] === t);

describe("buildCaseUcoBundle", () => {
  it("should conform to the SHACL shapes, validated offline", async () => {
    const v = await validateCaseUco(bundle);
    expect(v.results).toEqual([]);
    expect(v.conforms).toBe(true);
    expect(v.quads).toBeGreaterThan(100);
  });

  it("should hold one Message per message, one account per participant, and each attachment's hash and link", () => {
    expect(byType("uco-observable:Message")).toHaveLength(6);
    expect(byType("uco-observable:ApplicationAccount")).toHaveLength(
      hostileReport().conduct.participants.length,
    );
    const rel = byType("uco-observable:ObservableRelationship");
    expect(rel).toHaveLength(1);
    expect(rel[0]?.["uco-core:kindOfRelationship"]).toBe("Attachment_Of");
    const hashes = byType("uco-types:Hash").map(
      (h) => (h["uco-types:hashValue"] as { "@value": string })["@value"],
    );
    expect(hashes).toEqual(["E".repeat(64), "D".repeat(64)]);
  });

  it("should write sentTime as a zone-less xsd:dateTime, exactly the export's wall clock", () => {
    const f = byType("uco-observable:MessageFacet")[0];
    expect(f?.["uco-observable:sentTime"]).toEqual({
      "@type": "xsd:dateTime",
      "@value": "2024-05-06T09:00:00",
    });
  });

  it("should give the same IRIs for the same export (deterministic)", () => {
    expect(JSON.stringify(buildCaseUcoBundle(hostileReport(), hostileRecords()))).toBe(
      JSON.stringify(bundle),
    );
  });

  it("should reject a bundle whose sentTime is not a dateTime or whose hash has no value", async () => {
    const broken = structuredClone(bundle);
    const facet = broken["@graph"].find((n) => n["@type"] === "uco-observable:MessageFacet");
    if (facet) {
      facet["uco-observable:sentTime"] = { "@type": "xsd:dateTime", "@value": "06/05/2024 09:00" };
    }
    const hash = broken["@graph"].find((n) => n["@type"] === "uco-types:Hash");
    if (hash) {
      delete hash["uco-types:hashValue"];
    }
    const v = await validateCaseUco(broken);
    expect(v.conforms).toBe(false);
    expect(v.results.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "https://ontology.unifiedcyberontology.org/uco/observable/sentTime",
        "https://ontology.unifiedcyberontology.org/uco/types/hashValue",
      ]),
    );
  });

  it("should hold the thread's messages in a types:Thread with its size", () => {
    const facet = byType("uco-observable:MessageThreadFacet")[0];
    const threadId = (facet?.["uco-observable:messageThread"] as { "@id": string })["@id"];
    const thread = bundle["@graph"].find((n) => n["@id"] === threadId);
    expect(thread?.["@type"]).toBe("uco-types:Thread");
    const messages = byType("uco-observable:Message").map((m) => m["@id"]);
    expect((thread?.["co:element"] as { "@id": string }[]).map((e) => e["@id"])).toEqual(messages);
    expect(thread?.["co:size"]).toEqual({ "@type": "xsd:nonNegativeInteger", "@value": "6" });
  });

  const withRelationship = (edit: (rel: N) => void): typeof bundle => {
    const copy = structuredClone(bundle);
    const rel = copy["@graph"].find((n) => n["@type"] === "uco-observable:ObservableRelationship");
    if (!rel) {
      throw new Error("fixture has no attachment");
    }
    edit(rel);
    return copy;
  };
  const swapEnds = (rel: N): void => {
    const source = rel["uco-core:source"];
    rel["uco-core:source"] = [rel["uco-core:target"]];
    rel["uco-core:target"] = (source as unknown[])[0];
  };

  it("should reject the non-UCO kind Attached_To and a relationship without a kind", async () => {
    for (const edit of [
      (rel: N) => (rel["uco-core:kindOfRelationship"] = "Attached_To"),
      (rel: N) => delete rel["uco-core:kindOfRelationship"],
    ]) {
      const v = await validateCaseUco(withRelationship(edit));
      expect(v.conforms).toBe(false);
      expect(v.results.map((r) => r.path)).toContain(
        "https://ontology.unifiedcyberontology.org/uco/core/kindOfRelationship",
      );
    }
  });

  it("should reject an Attachment_Of link pointing the wrong way", async () => {
    const v = await validateCaseUco(withRelationship(swapEnds));
    expect(v.conforms).toBe(false);
    const rel = bundle["@graph"].find((n) => n["@type"] === "uco-observable:ObservableRelationship");
    const id = String(rel?.["@id"]).replace(/^kb:/, "");
    expect(v.results.some((r) => r.focusNode.endsWith(id))).toBe(true);
  });

  it("should not hold a relationship of another kind to the attachment direction", async () => {
    const v = await validateCaseUco(
      withRelationship((rel) => {
        rel["uco-core:kindOfRelationship"] = "Related_To";
        swapEnds(rel);
      }),
    );
    expect(v.results).toEqual([]);
  });
});
