import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { collidedIn, isUniqueViolation } from '../duplicates.ts';
import { AppError, TooManyRequestsError } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: Problem['errors'],
  extra: Record<string, unknown> = {},
): FastifyReply {
  const body: Problem & Record<string, unknown> = {
    // Machine-readable specifics a code promises (for example the requirements still missing).
    ...extra,
    type: `https://qila.invalid/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId: req.id,
    ...(errors ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json').send(body);
}

const fieldPath = (parts: readonly PropertyKey[]) => parts.map(String).join('.') || '(root)';

/** Fastify's own client-error codes, renamed to our stable snake_case codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_json_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'not_multipart',
  FST_REQ_FILE_TOO_LARGE: 'file_too_large',
  FST_FILES_LIMIT: 'too_many_files',
  FST_PARTS_LIMIT: 'too_many_parts',
};

/** The one error handler: every failure leaves as application/problem+json with a stable code. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v: { instancePath?: string; message?: string }) => ({
        path: [err.validationContext, ...(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is invalid',
      }));
      return sendProblem(
        reply,
        req,
        400,
        'validation_failed',
        `The request is invalid: ${errors[0]!.path} ${errors[0]!.message}.`,
        errors,
      );
    }
    if (err instanceof ZodError) {
      const errors = err.issues.map((i) => ({ path: fieldPath(i.path), message: i.message }));
      return sendProblem(
        reply,
        req,
        400,
        'validation_failed',
        `The request is invalid: ${errors[0]!.path} ${errors[0]!.message}.`,
        errors,
      );
    }
    if (err instanceof AppError) {
      if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
      const { field, ...extra } = err.details ?? {};
      return sendProblem(
        reply,
        req,
        err.status,
        err.code,
        err.message,
        typeof field === 'string'
          ? [{ path: /^(querystring|params)\./.test(field) ? field : `body.${field}`, message: err.message }]
          : undefined,
        extra,
      );
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return sendProblem(
        reply,
        req,
        500,
        'internal_error',
        'Something went wrong on our side; the request ID identifies it in our logs.',
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[err.code] ?? (status === 429 ? 'too_many_requests' : 'bad_request');
      return sendProblem(reply, req, status, code, err.message);
    }
    // A race the service did not name: two writers claimed one key at the same moment.
    if (isUniqueViolation(err)) {
      req.log.warn({ err }, 'unique violation reached the error handler');
      const where = collidedIn(err);
      return sendProblem(
        reply,
        req,
        409,
        'conflict',
        `Someone saved the same record${where ? ` in ${where}` : ''} at the same moment; reload it and try again.`,
      );
    }
    // Every database connection busy for the pool's whole wait: the server is saturated, not
    // broken, and nothing was written. Say so, so clients retry (with their idempotency key).
    if (err instanceof Error && err.message === 'timeout exceeded when trying to connect') {
      req.log.warn({ err }, 'database pool saturated');
      reply.header('retry-after', '5');
      return sendProblem(
        reply,
        req,
        503,
        'busy',
        'The service is busy; nothing was saved. Try again in a few seconds with the same request.',
      );
    }
    // Database and programming errors: log the detail, tell the caller only the request ID.
    req.log.error({ err }, 'unhandled error');
    return sendProblem(
      reply,
      req,
      500,
      'internal_error',
      'Something went wrong on our side; the request ID identifies it in our logs.',
    );
  });
}
