// One error type for the whole app: a string code and a message safe to show a user.
// Each transport maps it with its own converter (HTTP: toErrorResponse in src/platform/http.ts).
import type { ZodError, ZodType } from 'zod';
import { currentRequest } from './request-context';

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS | (string & {});

export interface AppErrorOptions {
  /** HTTP status when the code is not one of ERROR_STATUS (e.g. a domain-specific 403 reason). */
  status?: number;
  /** Field errors for a validation failure: path -> messages. */
  fields?: Record<string, string[]>;
  /** Extra headers a transport should send (Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string[]>;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code as keyof typeof ERROR_STATUS] ?? 500;
    this.fields = options.fields;
    this.headers = options.headers;
  }
}

export interface TErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]>; requestId?: string };
}

/** The one error shape; inside a request it names the request's id, which its log lines carry too. */
export function errorBody(code: string, message: string, fields?: Record<string, string[]>): TErrorBody {
  const requestId = currentRequest()?.requestId;
  return { error: { code, message, ...(fields && { fields }), ...(requestId && { requestId }) } };
}

export function validationError(err: ZodError): AppError {
  // A Map: a field named "constructor" (a record's key, say) is not Object.prototype's.
  const fields = new Map<string, string[]>();
  for (const issue of err.issues) {
    const k = issue.path.length ? issue.path.join('.') : '_';
    fields.set(k, [...(fields.get(k) ?? []), issue.message]);
  }
  return invalidFields(Object.fromEntries(fields));
}

/** The 400 for input that names what is wrong with each field (by dotted path, "_" for the whole). */
export function invalidFields(fields: Record<string, string[]>): AppError {
  return new AppError('VALIDATION_FAILED', 'Some fields are missing or invalid.', { fields });
}

/** Validates input at a domain boundary: a failure is a VALIDATION_FAILED AppError on every transport. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
