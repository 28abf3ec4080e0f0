/**
 * @module error-handler
 * The one place AppError codes become HTTP statuses, and every error becomes the ErrorBody shape.
 * Unknown errors are logged and answered with INTERNAL, without their message.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import type { ErrorBody } from "../../contract/api-common.ts";
import { AppError, type AppErrorCode } from "../../contract/errors.ts";

export const HTTP_STATUS: Readonly<Record<AppErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNRECOGNISED_FORMAT: 422,
  UNSAFE_ARCHIVE: 422,
  TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTEGRITY_FAILURE: 500,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};

/** Fastify's own error codes that are the client's fault, mapped onto ours. */
const FASTIFY_CODES: Readonly<Record<string, AppErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "TOO_LARGE",
  FST_REQ_FILE_TOO_LARGE: "TOO_LARGE",
  FST_FILES_LIMIT: "TOO_LARGE",
  FST_PARTS_LIMIT: "TOO_LARGE",
  FST_FIELDS_LIMIT: "TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "INVALID_INPUT",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_INPUT",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "INVALID_INPUT",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "INVALID_INPUT",
  FST_ERR_VALIDATION: "INVALID_INPUT",
};

function body(
  code: AppErrorCode,
  message: string,
  requestId: string,
  issues?: ErrorBody["error"]["issues"],
): ErrorBody {
  return { error: { code, message, requestId, ...(issues ? { issues } : {}) } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      const status = HTTP_STATUS[err.code];
      if (status >= 500) {
        req.log.error({ err }, "request failed");
      }
      return reply.status(status).send(body(err.code, err.userMessage, req.id));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? "body"}${v.instancePath.replaceAll("/", ".")}`,
        message: v.message ?? "invalid",
      }));
      return reply.status(400).send(body("INVALID_INPUT", "the request is not valid", req.id, issues));
    }
    const code = "code" in err && typeof err.code === "string" ? FASTIFY_CODES[err.code] : undefined;
    if (code) {
      return reply.status(HTTP_STATUS[code]).send(body(code, err.message, req.id));
    }
    const sc = "statusCode" in err && typeof err.statusCode === "number" ? err.statusCode : 500;
    if (sc === 413) {
      return reply.status(413).send(body("TOO_LARGE", "the request is too large", req.id));
    }
    if (sc === 429) {
      return reply.status(429).send(body("RATE_LIMITED", "too many requests, slow down", req.id));
    }
    if (sc >= 400 && sc < 500) {
      return reply.status(400).send(body("INVALID_INPUT", err.message, req.id));
    }
    req.log.error({ err }, "unexpected error");
    return reply.status(500).send(body("INTERNAL", "internal error", req.id));
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send(body("NOT_FOUND", "no such route", req.id)));
}
