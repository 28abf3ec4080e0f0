/**
 * @module case-deps
 * What every case use case receives, and the checks they share (input parsing, role checks, lookups
 * that fail with a coded error).
 */
import type { z } from "zod";
import { AppError } from "../../contract/errors.ts";
import { DEFAULT_CASE_CONFIG, type CaseConfig } from "../../domain/workflow/case-config.ts";
import { hasAnyRole, type Actor, type CaseRole } from "../../domain/workflow/roles.ts";
import type { WorkflowDefinition } from "../../domain/workflow/workflow-definition.ts";
import type { Db } from "../../storage/db.ts";

export interface CaseDeps {
  db: Db;
  /** Organisation configuration; the England and Wales defaults when absent. */
  config?: CaseConfig | undefined;
}

export function configOf(deps: CaseDeps): CaseConfig {
  return deps.config ?? DEFAULT_CASE_CONFIG;
}

/** The workflow a stored case was opened under. */
export function workflowOf(deps: CaseDeps, workflowId: string): WorkflowDefinition {
  const cfg = configOf(deps);
  const wf = cfg.workflows[workflowId];
  if (!wf) {
    throw new AppError("CONFIG_INVALID", { userMessage: `workflow '${workflowId}' is not configured` });
  }
  return wf;
}

/**
 * Parses a use case's input with its schema.
 * @throws AppError INVALID_INPUT naming the first problem as "field: message"
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new AppError("INVALID_INPUT", { userMessage: `${where}${issue?.message ?? "invalid input"}` });
  }
  return r.data;
}

/** @throws AppError FORBIDDEN unless the actor holds one of the roles */
export function requireRole(actor: Actor, roles: readonly CaseRole[], action: string): void {
  if (!hasAnyRole(actor, roles)) {
    throw new AppError("FORBIDDEN", { userMessage: `${action} needs one of the roles: ${roles.join(", ")}` });
  }
}

/** @throws AppError NOT_FOUND */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AppError("NOT_FOUND", { userMessage: `${what} not found` });
  return value;
}
