/** A small but complete AnalysisReport built from hand-made records, with hostile text in it. */
import { ANALYSIS_SCHEMA_VERSION, type AnalysisReport } from "../../contract/analysis.ts";
import type { ClassifyResult } from "../../contract/detection.ts";
import { analyseConduct, stanceKey } from "../conduct/analyse-conduct.ts";
import { imageResult, msg, sys, textResult } from "../conduct/conduct-fixtures.test-helpers.ts";
import { EXPORT_LIMITATIONS } from "../conduct/limitations.ts";

export const HOSTILE = {
  script: `<script>alert("x")</script>`,
  attr: `" onerror="alert(1)" x="`,
  url: `javascript:alert(document.cookie)`,
  rtl: `invoice\u202Egpj.exe`,
  name: `Eve <img src=x onerror=alert(2)>`,
};

export function hostileRecords() {
  return [
    sys(0, "2024-05-06T08:00:00", "member_added", `Dan added ${HOSTILE.name}`),
    msg(1, "2024-05-06T09:00:00", "Dan", `morning ${HOSTILE.url}`),
    msg(2, "2024-05-06T09:05:00", HOSTILE.name, `${HOSTILE.script} she is fit ${HOSTILE.attr}`),
    msg(3, "2024-05-06T09:06:00", "Dan", `😂 ${HOSTILE.rtl}`),
    msg(4, "2024-05-06T09:07:00", "Fay", "not on, delete that"),
    msg(5, "2024-05-06T09:08:00", "Gus", "IMG-1.jpg", { attachments: [{ fileName: `IMG-1.jpg` }] }),
    msg(6, "2024-05-06T09:09:00", "Gus", "anyone for coffee"),
  ];
}

/** The report over hostileRecords(), with fixed metadata. */
export function hostileReport(): AnalysisReport {
  const records = hostileRecords();
  const text = new Map<number, ClassifyResult>(
    records.filter((r) => r.kind === "message").map((r) => [r.index, textResult(r.index)]),
  );
  text.set(2, textResult(2, ["sexual"], HOSTILE.script));
  const conduct = analyseConduct({
    records,
    textResults: text,
    images: [
      {
        recordIndex: 5,
        fileName: "IMG-1.jpg",
        sha256: "d".repeat(64),
        result: imageResult("IMG-1.jpg", "suggestive", "ffff0000ffff0000"),
      },
    ],
    stances: new Map([
      [stanceKey(2, 3), { challenge: 0, endorse: 0.9, neutral: 0.1 }],
      [stanceKey(2, 4), { challenge: 0.9, endorse: 0, neutral: 0.1 }],
      [stanceKey(2, 5), { challenge: 0, endorse: 0, neutral: 1 }],
      [stanceKey(2, 6), { challenge: 0, endorse: 0, neutral: 1 }],
      [stanceKey(5, 6), { challenge: 0, endorse: 0, neutral: 1 }],
    ]),
  });
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    export: {
      fileName: `chat ${HOSTILE.script}.zip`,
      sha256: "e".repeat(64),
      size: 1234,
      format: "whatsapp",
      variant: "ios",
      chatTitle: `Team ${HOSTILE.attr}`,
      dateOrder: "dmy (inferred: a first field of 29 on line 3)",
      recordCount: records.length,
      messageCount: records.length - 1,
      firstTimestamp: "2024-05-06T08:00:00",
      lastTimestamp: "2024-05-06T09:09:00",
      issueCount: 0,
      members: [{ path: "IMG-1.jpg", size: 10, sha256: "d".repeat(64) }],
    },
    acquisition: {
      acquisitionId: null,
      acquiredAt: null,
      acquiredBy: null,
      caseRef: "PSD-2024-001",
      scope: `Team chat only ${HOSTILE.url}`,
      analysedAt: "2024-06-01T10:00:00.000Z",
      tool: "upstander analyse 0.1.0",
    },
    models: [{ name: "text", version: "test", thresholds: { sexual: 0.5 } }],
    conduct,
    context: records.map((r) => ({
      index: r.index,
      timestamp: r.timestamp,
      author: r.author,
      kind: r.kind,
      text: r.text,
      attachments: r.attachments.map((a) => a.fileName),
    })),
    limitations: [...EXPORT_LIMITATIONS],
    timings: {},
  };
}
