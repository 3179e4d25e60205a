import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON body of a successful (200, or else 201) response of `method` on `path`. */
export type ApiResponse<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete' = 'get',
> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer OK }
    ? JsonOf<OK>
    : R extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;

export type Me = ApiResponse<'/api/auth/me'>;

/** One field-level complaint of a problem response. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An API failure: the server's application/problem+json, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | null;
  readonly errors: ProblemFieldError[];
  /** Every field a problem names at once (a report missing what its stage requires). */
  readonly fields: string[];
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    code: string;
    detail: string | null;
    errors?: ProblemFieldError[];
    fields?: string[];
    requestId?: string | null;
  }) {
    super(init.detail ?? init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.fields = init.fields ?? [];
    this.requestId = init.requestId ?? null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Turns a failed response and its parsed body (problem+json when the server sent one) into an ApiError. */
export function problemToError(response: Response, body: unknown): ApiError {
  const p = isRecord(body) ? body : {};
  const errors = Array.isArray(p.errors)
    ? p.errors.filter(isRecord).map((e) => ({
        path: typeof e.path === 'string' ? e.path : '',
        message: typeof e.message === 'string' ? e.message : '',
      }))
    : [];
  return new ApiError({
    status: response.status,
    code: typeof p.code === 'string' ? p.code : `http_${response.status}`,
    detail: typeof p.detail === 'string' ? p.detail : null,
    errors,
    fields: Array.isArray(p.fields) ? p.fields.filter((f): f is string => typeof f === 'string') : [],
    requestId: typeof p.requestId === 'string' ? p.requestId : response.headers.get('x-request-id'),
  });
}

// The session cookie is HttpOnly; writes must echo the session's CSRF token, which the
// server hands out in the Me response (sign-in and /api/auth/me).
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Headers a write made outside the API client (a file upload with progress) must carry. */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrfMiddleware);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError built from the
 * problem+json body (or a status-0 ApiError when the server could not be reached).
 */
export async function unwrap<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network_error', detail: null });
  }
  if (!result.response.ok) throw problemToError(result.response, result.error);
  return result.data as T;
}

/**
 * The field a problem's `errors` entry points at ("body.roles.0.scopeValue" -> "roles.0.scopeValue"),
 * for showing the server's complaint beside the right input.
 */
export function fieldOf(path: string): string {
  return path.replace(/^(body|query|params)\./, '');
}
