/**
 * @module reporter-view
 * The reporter's view on the wire (dates as ISO strings).
 */
import type { z } from "zod";
import type { ReporterViewSchema } from "../../contract/api-cases.ts";
import type { ReporterView } from "../../services/cases/read-reporter-view.ts";

export function presentReporterView(v: ReporterView): z.infer<typeof ReporterViewSchema> {
  return {
    reference: v.reference,
    status: v.status,
    messages: v.messages.map((m) => ({ ...m, sentAt: m.sentAt.toISOString() })),
  };
}
