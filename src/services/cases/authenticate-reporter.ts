/**
 * @module authenticate-reporter
 * Lets a reporter back in: an anonymous reporter with the receipt code and passphrase, a signed-in
 * reporter by their account. Both give a `ReporterAccess`, the only key the reporter-facing use cases take.
 */
import { verify as argon2Verify } from "@node-rs/argon2";
import { AppError } from "../../contract/errors.ts";
import { findReport, findReportByReceiptLookup } from "../../storage/repositories/report.repository.ts";
import type { CaseDeps } from "./case-deps.ts";
import { normaliseCode, receiptLookup } from "./record-report.ts";

/** Proof that the caller is the reporter of one report. */
export interface ReporterAccess {
  orgId: string;
  caseId: string;
  reportId: string;
}

const REFUSED = "the receipt code or passphrase is not right";

/**
 * Checks a receipt code and passphrase.
 * @throws AppError UNAUTHENTICATED (the same message whichever of the two is wrong)
 */
export async function authenticateAnonymousReporter(
  deps: CaseDeps,
  input: { receiptCode: string; passphrase: string },
): Promise<ReporterAccess> {
  const hit = await findReportByReceiptLookup(deps.db, receiptLookup(input.receiptCode));
  if (!hit) throw new AppError("UNAUTHENTICATED", { userMessage: REFUSED });
  const ok = await argon2Verify(hit.passphraseHash, normaliseCode(input.passphrase));
  if (!ok) throw new AppError("UNAUTHENTICATED", { userMessage: REFUSED });
  return { orgId: hit.report.orgId, caseId: hit.report.caseId, reportId: hit.report.id };
}

/**
 * Access for a signed-in reporter to a report they made.
 * @throws AppError NOT_FOUND when the report is not theirs (no hint that it exists)
 */
export async function resolveReporterAccess(
  deps: CaseDeps,
  input: { orgId: string; reportId: string; userId: string },
): Promise<ReporterAccess> {
  const r = await findReport(deps.db, input.orgId, input.reportId);
  if (!r || r.reporterUserId !== input.userId) {
    throw new AppError("NOT_FOUND", { userMessage: "report not found" });
  }
  return { orgId: r.orgId, caseId: r.caseId, reportId: r.id };
}
