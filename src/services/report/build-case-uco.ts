/**
 * @module build-case-uco
 * The acquisition and its content as a CASE 1.4 / UCO 1.4 JSON-LD bundle (DOMAIN.md section 7), for
 * exchange with forensic tools: Investigation, InvestigativeAction (scoped acquisition of one chat
 * thread) with its ProvenanceRecord and Tool, the acquired export File with its SHA-256, the Application
 * (WhatsApp), one ApplicationAccount per participant, the MessageThread with its participants and its
 * messages (a types:Thread), one Message per message, one File per attachment present (ContentDataFacet with a SHA-256 Hash), and an
 * ObservableRelationship (Attachment_Of) from each attachment to its message.
 *
 * Times. A WhatsApp export gives the phone's wall clock without a zone. `sentTime` is written as an
 * xsd:dateTime with no zone offset ("2024-02-12T21:14:03"), which XML Schema defines as a time with no
 * time zone; nothing is converted or guessed. Every message also carries the extension property
 * `upstander:localTimeNoZone true` so that a consumer cannot mistake it for UTC.
 *
 * UCO has no classes for group membership or for a record's position in the export: those are extension
 * properties in the `upstander:` namespace.
 */
import { createHash } from "node:crypto";
import type { AnalysisReport } from "../../contract/analysis.ts";
import type { ChatRecord } from "../../domain/formats/chat-record.ts";

export const CASE_UCO_CONTEXT = {
  kb: "http://upstander.invalid/kb/",
  "case-investigation": "https://ontology.caseontology.org/case/investigation/",
  "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
  "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
  "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
  "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
  "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
  "uco-vocabulary": "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
  co: "http://purl.org/co/",
  upstander: "http://upstander.invalid/ns/chat#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
} as const;

type Node = Record<string, unknown>;

/** A deterministic UUID-shaped id from the export hash and a local name (same input, same IRI). */
function uuidFor(seed: string, name: string): string {
  const h = createHash("sha256").update(`${seed}\u0000${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ref = (id: string): Node => ({ "@id": id });
const dt = (v: string): Node => ({ "@type": "xsd:dateTime", "@value": v });

function fileNode(
  id: (n: string) => string,
  key: string,
  name: string,
  size: number,
  sha256: string,
): Node[] {
  return [
    {
      "@id": id(`file-${key}`),
      "@type": "uco-observable:File",
      "uco-core:name": name,
      "uco-core:hasFacet": [ref(id(`file-facet-${key}`)), ref(id(`content-facet-${key}`))],
    },
    {
      "@id": id(`file-facet-${key}`),
      "@type": "uco-observable:FileFacet",
      "uco-observable:fileName": name,
      "uco-observable:sizeInBytes": size,
    },
    {
      "@id": id(`content-facet-${key}`),
      "@type": "uco-observable:ContentDataFacet",
      "uco-observable:sizeInBytes": size,
      "uco-observable:hash": [ref(id(`hash-${key}`))],
    },
    {
      "@id": id(`hash-${key}`),
      "@type": "uco-types:Hash",
      "uco-types:hashMethod": { "@type": "uco-vocabulary:HashNameVocab", "@value": "SHA256" },
      "uco-types:hashValue": { "@type": "xsd:hexBinary", "@value": sha256.toUpperCase() },
    },
  ];
}

/**
 * Builds the bundle.
 * @param records the export's records (messages become Message objects; membership events become extension properties)
 */
export function buildCaseUcoBundle(
  r: AnalysisReport,
  records: readonly ChatRecord[],
): { "@context": typeof CASE_UCO_CONTEXT; "@graph": Node[] } {
  const seed = r.export.sha256;
  const id = (name: string): string =>
    `kb:${name.replace(/[^\w-]/g, "_").slice(0, 40)}-${uuidFor(seed, name)}`;
  const g: Node[] = [];
  const caseRef = r.acquisition.caseRef ?? "unreferenced";
  const app = id("application-whatsapp");
  const thread = id("thread");
  const exportKey = "export";

  g.push({
    "@id": id("investigation"),
    "@type": "case-investigation:Investigation",
    "uco-core:name": caseRef,
    "case-investigation:focus": ["Conduct in a workplace group chat"],
    "uco-core:object": [ref(id("action")), ref(id("provenance")), ref(id(`file-${exportKey}`)), ref(thread)],
  });
  g.push({
    "@id": id("action"),
    "@type": "case-investigation:InvestigativeAction",
    "uco-core:name": "scoped acquisition of one chat thread",
    "uco-core:description": r.acquisition.scope ?? "scope not recorded",
    "uco-action:endTime": dt(r.acquisition.analysedAt),
    "uco-action:instrument": ref(id("tool")),
    "uco-action:object": [ref(id(`file-${exportKey}`))],
    "uco-action:result": [ref(id("provenance")), ref(thread)],
  });
  g.push({
    "@id": id("provenance"),
    "@type": "case-investigation:ProvenanceRecord",
    "case-investigation:exhibitNumber": `${caseRef}/chat-1`,
    "uco-core:description": `WhatsApp export ${r.export.fileName}, SHA-256 ${r.export.sha256}`,
    "uco-core:object": [ref(id(`file-${exportKey}`)), ref(thread)],
  });
  g.push({
    "@id": id("tool"),
    "@type": "uco-tool:Tool",
    "uco-core:name": "upstander",
    "uco-tool:version": r.acquisition.tool.replace(/^\D+/, ""),
  });
  g.push(...fileNode(id, exportKey, r.export.fileName, r.export.size, r.export.sha256));
  g.push({
    "@id": app,
    "@type": "uco-observable:Application",
    "uco-core:name": "WhatsApp",
    "uco-core:hasFacet": [ref(id("application-facet"))],
  });
  g.push({
    "@id": id("application-facet"),
    "@type": "uco-observable:ApplicationFacet",
    "uco-observable:applicationIdentifier": "WhatsApp",
  });

  const accounts = new Map<string, string>();
  for (const p of r.conduct.participants) {
    const key = `account-${p.name}`;
    accounts.set(p.name, id(key));
    g.push({
      "@id": id(key),
      "@type": "uco-observable:ApplicationAccount",
      "uco-core:name": p.name,
      "uco-core:hasFacet": [ref(id(`${key}-account`)), ref(id(`${key}-app`)), ref(id(`${key}-digital`))],
      "upstander:membershipEvent": p.membership.map((m) => ({
        "@id": id(`${key}-member-${m.recordIndex}`),
        "@type": "upstander:MembershipEvent",
        "upstander:eventType": m.type,
        "upstander:localTime": dt(m.timestamp),
        "upstander:recordIndex": m.recordIndex,
      })),
    });
    g.push({
      "@id": id(`${key}-account`),
      "@type": "uco-observable:AccountFacet",
      "uco-observable:accountIdentifier": p.name,
    });
    g.push({
      "@id": id(`${key}-app`),
      "@type": "uco-observable:ApplicationAccountFacet",
      "uco-observable:application": ref(app),
    });
    g.push({
      "@id": id(`${key}-digital`),
      "@type": "uco-observable:DigitalAccountFacet",
      "uco-observable:displayName": p.name,
    });
  }
  g.push({
    "@id": thread,
    "@type": "uco-observable:MessageThread",
    "uco-core:name": r.export.chatTitle ?? r.export.fileName,
    "uco-core:hasFacet": [ref(id("thread-facet"))],
  });
  g.push({
    "@id": id("thread-facet"),
    "@type": "uco-observable:MessageThreadFacet",
    "uco-observable:displayName": r.export.chatTitle ?? r.export.fileName,
    "uco-observable:participant": [...accounts.values()].map(ref),
    "uco-observable:messageThread": ref(id("thread-messages")),
  });
  // UCO holds a thread's messages in a types:Thread (a Collections Ontology bag: co:element, co:size).
  // Their order is each message's sentTime and upstander:recordIndex, so no ThreadItem chain is written.
  const messageIds = records
    .filter((rec) => rec.kind === "message" && rec.author)
    .map((rec) => id(`message-${rec.index}`));
  g.push({
    "@id": id("thread-messages"),
    "@type": "uco-types:Thread",
    "co:size": { "@type": "xsd:nonNegativeInteger", "@value": String(messageIds.length) },
    "co:element": messageIds.map(ref),
  });

  const members = new Map(r.export.members.map((m) => [m.path.split("/").pop() ?? m.path, m]));
  for (const rec of records) {
    if (rec.kind !== "message" || !rec.author) {
      continue;
    }
    const msg = id(`message-${rec.index}`);
    const from = accounts.get(rec.author);
    g.push({
      "@id": msg,
      "@type": "uco-observable:Message",
      "uco-core:hasFacet": [ref(id(`message-facet-${rec.index}`))],
      "upstander:recordIndex": rec.index,
      "upstander:localTimeNoZone": true,
    });
    g.push({
      "@id": id(`message-facet-${rec.index}`),
      "@type": "uco-observable:MessageFacet",
      ...(from ? { "uco-observable:from": ref(from) } : {}),
      "uco-observable:to": [ref(thread)],
      "uco-observable:application": ref(app),
      "uco-observable:messageText": rec.text,
      "uco-observable:sentTime": dt(rec.timestamp),
    });
    for (const a of rec.attachments) {
      const m = members.get(a.fileName);
      if (!m) {
        continue;
      }
      const key = `attachment-${rec.index}-${a.fileName}`;
      g.push(...fileNode(id, key, a.fileName, m.size, m.sha256));
      g.push({
        "@id": id(`rel-${key}`),
        "@type": "uco-observable:ObservableRelationship",
        "uco-core:source": [ref(id(`file-${key}`))],
        "uco-core:target": ref(msg),
        // UCO's ObservableObjectRelationshipVocab term for "source is an attachment of target".
        "uco-core:kindOfRelationship": "Attachment_Of",
        "uco-core:isDirectional": true,
      });
    }
  }
  return { "@context": CASE_UCO_CONTEXT, "@graph": g };
}
