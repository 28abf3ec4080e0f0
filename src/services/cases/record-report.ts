/**
 * @module record-report
 * Takes in a report (named, confidential or anonymous): takes the case number in a statement of its own,
 * then in one transaction opens the case under that reference, writes the report and report.received to
 * the ledger, starts the acknowledgement and feedback clocks, and opens the protection track when the
 * report is a disclosure. A number whose intake fails is ledgered as case.number_unused, best effort.
 */
import { createHash, randomBytes } from "node:crypto";
import { hash as argon2Hash } from "@node-rs/argon2";
import { z } from "zod";
import { personKey } from "../../domain/people/person-key.ts";
import { formatCaseReference } from "../../domain/workflow/case-config.ts";
import { localDay } from "../../domain/workflow/working-days.ts";
import {
  findCaseByReference,
  insertCase,
  nextCaseNumber,
} from "../../storage/repositories/case.repository.ts";
import {
  appendLedgerEvent,
  appendLedgerEvents,
  type NewLedgerEvent,
} from "../../storage/repositories/ledger.repository.ts";
import { insertProtectionTrack } from "../../storage/repositories/protection.repository.ts";
import { insertIdentity, insertReport } from "../../storage/repositories/report.repository.ts";
import { configOf, parseInput, type CaseDeps } from "./case-deps.ts";
import { NowSchema, TextSchema } from "./case-schemas.ts";
import { startCaseClock } from "./start-case-clock.ts";

/** Legal bases recorded for every disclosure (DOMAIN.md section 4: the tribunal relied on both). */
export const DISCLOSURE_LEGAL_BASES = ["pida_protected_disclosure", "equality_act_victimisation"] as const;

const IdentitySchema = z.object({
  fullName: TextSchema.max(300),
  contact: z.string().trim().max(300).optional(),
});
const Common = {
  orgId: z.guid(),
  title: z.string().trim().min(1).max(200).optional(),
  body: TextSchema,
  isDisclosure: z.boolean(),
  now: NowSchema,
};

export const RecordReportInputSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("anonymous"), ...Common }).strict(),
  z.object({
    mode: z.literal("confidential"),
    identity: IdentitySchema,
    reporterUserId: z.guid().optional(),
    ...Common,
  }),
  z.object({
    mode: z.literal("named"),
    identity: IdentitySchema,
    reporterUserId: z.guid().optional(),
    ...Common,
  }),
]);
export type RecordReportInput = z.input<typeof RecordReportInputSchema>;

export interface RecordedReport {
  caseId: string;
  reference: string;
  reportId: string;
  /** Anonymous reports only: shown to the reporter once, never stored in plain text. */
  receiptCode?: string;
  passphrase?: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** `n` base32 characters from a CSPRNG (5 bits each; rejection-free since 256 is a multiple of 32). */
export function randomBase32(n: number, random: (size: number) => Buffer = randomBytes): string {
  return [...random(n)].map((b) => BASE32[b % 32]).join("");
}

/** Canonical form of a receipt code or passphrase as typed back by a reporter (case, spaces and dashes ignored). */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/** The stored lookup hash of a receipt code. */
export function receiptLookup(code: string): string {
  return createHash("sha256")
    .update(`upstander-receipt:${normaliseCode(code)}`)
    .digest("hex");
}

/**
 * Times stored for an anonymous reporter's actions are rounded down to the hour, so that the exact
 * second cannot be matched against network or building logs. The clocks count in days, so nothing is lost.
 */
export function coarseTime(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

function group(s: string): string {
  return s.replace(/(.{4})(?=.)/g, "$1-");
}

/**
 * Records a report.
 * @throws AppError INVALID_INPUT
 */
export async function recordReport(
  deps: CaseDeps & { random?: (size: number) => Buffer },
  input: RecordReportInput,
): Promise<RecordedReport> {
  const inp = parseInput(RecordReportInputSchema, input);
  const cfg = configOf(deps);
  const now = inp.mode === "anonymous" ? coarseTime(inp.now ?? new Date()) : (inp.now ?? new Date());
  let receiptCode: string | undefined;
  let passphrase: string | undefined;
  let lookup: string | null = null;
  let passphraseHash: string | null = null;
  if (inp.mode === "anonymous") {
    receiptCode = group(randomBase32(16, deps.random));
    passphrase = group(randomBase32(20, deps.random));
    lookup = receiptLookup(receiptCode);
    passphraseHash = await argon2Hash(normaliseCode(passphrase));
  }
  const year = Number(localDay(now, cfg.calendar.timeZone).slice(0, 4));
  // The case number is taken in a statement of its own, before the transaction: the counter row is
  // then locked only while the database runs and commits that one statement. Inside the transaction
  // the lock was held across its remaining round trips and its commit, so every intake of an
  // organisation queued behind the one before it (measured: docs/cases.md). The price: an intake that
  // fails after taking its number leaves that number unused; the gap is ledgered (case.number_unused),
  // best effort: not when the process dies or the database cannot be reached.
  const reference = formatCaseReference(
    cfg.referencePrefix,
    year,
    await nextCaseNumber(deps.db, inp.orgId, year),
  );
  const actor =
    inp.mode === "anonymous" ? "reporter:anonymous" : `reporter:${inp.reporterUserId ?? "unregistered"}`;
  const result = await deps.db
    .transaction(async (tx) => {
      const c = await insertCase(tx, {
        orgId: inp.orgId,
        reference,
        workflowId: cfg.workflow.id,
        title: inp.title ?? `Report ${reference}`,
        openedAt: now,
      });
      const report = await insertReport(tx, {
        orgId: inp.orgId,
        caseId: c.id,
        mode: inp.mode,
        body: inp.body,
        isDisclosure: inp.isDisclosure,
        receivedAt: now,
        reporterUserId: inp.mode === "anonymous" ? null : (inp.reporterUserId ?? null),
        receiptLookup: lookup,
        passphraseHash,
      });
      if (inp.mode !== "anonymous") {
        await insertIdentity(tx, {
          orgId: inp.orgId,
          reportId: report.id,
          caseId: c.id,
          restricted: inp.mode === "confidential",
          fullName: inp.identity.fullName,
          contact: inp.identity.contact ?? null,
          nameKey: personKey(inp.identity.fullName),
        });
      }
      for (const kind of ["acknowledgement", "feedback"] as const) {
        await startCaseClock(tx, cfg, {
          orgId: inp.orgId,
          caseId: c.id,
          allegationId: null,
          kind,
          startedAt: now,
          caseIsNew: true,
        });
      }
      if (inp.isDisclosure) {
        await insertProtectionTrack(tx, {
          orgId: inp.orgId,
          caseId: c.id,
          reportId: report.id,
          disclosedAt: now,
          legalBases: [...DISCLOSURE_LEGAL_BASES],
          openedAt: now,
        });
      }
      const events: NewLedgerEvent[] = [
        {
          orgId: inp.orgId,
          eventType: "report.received",
          caseRef: reference,
          actor,
          payload: { caseId: c.id, reportId: report.id, mode: inp.mode, isDisclosure: inp.isDisclosure },
          occurredAt: now,
        },
      ];
      if (inp.isDisclosure) {
        events.push({
          orgId: inp.orgId,
          eventType: "protection.opened",
          caseRef: reference,
          actor: "system",
          payload: { caseId: c.id, reportId: report.id, legalBases: DISCLOSURE_LEGAL_BASES },
          occurredAt: now,
        });
      }
      await appendLedgerEvents(tx, inp.orgId, events);
      return { caseId: c.id, reference, reportId: report.id };
    })
    .catch(async (e: unknown) => {
      await deps.db
        .transaction(async (tx) => {
          // The intake may have committed even though its transaction reported an error (the connection
          // dropped during COMMIT): then the number is used, and "unused" would be a false entry.
          if (await findCaseByReference(tx, inp.orgId, reference)) {
            return;
          }
          await appendLedgerEvent(tx, {
            orgId: inp.orgId,
            eventType: "case.number_unused",
            caseRef: reference,
            actor,
            payload: { reason: "intake failed after taking its number" },
            occurredAt: now,
          });
        })
        .catch((fallback: unknown) => {
          // The intake's own error is the one to report to the caller; this one goes to the operator.
          process.stderr.write(
            `record-report: case.number_unused not ledgered for ${reference}: ${fallback instanceof Error ? fallback.message : String(fallback)}\n`,
          );
        });
      throw e;
    });
  return receiptCode && passphrase ? { ...result, receiptCode, passphrase } : result;
}
