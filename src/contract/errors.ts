/**
 * @module errors
 * One error class with a closed set of codes. Services throw AppError; the HTTP layer maps codes to
 * statuses in exactly one place (server/plugins/error-handler.ts); the CLI prints `userMessage`.
 */

export const APP_ERROR_CODES = [
  /** Input failed validation (a schema, a CLI flag, a malformed upload). */
  "INVALID_INPUT",
  /** The file is not a chat export this version can read. */
  "UNRECOGNISED_FORMAT",
  /** An archive was refused for safety: traversal, absolute path, symlink, encryption, bomb limits. */
  "UNSAFE_ARCHIVE",
  /** A size or count limit was exceeded. */
  "TOO_LARGE",
  /** Not signed in, or the session is no longer valid. */
  "UNAUTHENTICATED",
  /** Signed in but not allowed: wrong role, not assigned, or conflicted. */
  "FORBIDDEN",
  "NOT_FOUND",
  /** The action conflicts with the current state (an illegal workflow transition, a duplicate). */
  "CONFLICT",
  "RATE_LIMITED",
  /** Stored evidence no longer matches its hash, or the ledger chain is broken. */
  "INTEGRITY_FAILURE",
  /** Configuration is invalid (environment variables, config files). */
  "CONFIG_INVALID",
  "INTERNAL",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Safe to show to the user; `message` may carry internal detail for logs. */
  readonly userMessage: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: AppErrorCode,
    opts: { message?: string; userMessage: string; details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(opts.message ?? opts.userMessage, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = opts.userMessage;
    this.details = opts.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
