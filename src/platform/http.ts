// The HTTP edge: every route handler is wrapped so that any failure becomes the one JSON error shape
// { error: { code, message } }. Bad input is a 4xx; an unknown error is a logged, generic 500.
import { ZodError, type ZodType } from 'zod';
import { AppError, errorBody, invalidFields, validationError } from './errors';
import { requestIp } from './client-ip';
import { logger } from './logger';
import { storableTextProblems } from './text';

export function jsonError(err: AppError): Response {
  return Response.json(errorBody(String(err.code), err.message, err.fields), {
    status: err.status,
    headers: err.headers,
  });
}

export function toErrorResponse(err: unknown, req?: Request): Response {
  if (err instanceof AppError) return jsonError(err);
  if (err instanceof ZodError) return jsonError(validationError(err));
  logger().error(
    { err, url: req?.url, method: req?.method, ip: req ? requestIp(req.headers) : undefined },
    'unhandled error in route handler',
  );
  return Response.json(errorBody('INTERNAL', 'Something went wrong on our side. Please try again.'), {
    status: 500,
  });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** Wraps a route handler: errors thrown inside become JSON error responses. */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      // Next's redirect()/forbidden() travel as errors with a digest: let Next handle them.
      if (err && typeof err === 'object' && 'digest' in err) throw err;
      return toErrorResponse(err, req);
    }
  };
}

/** Request bodies are small JSON documents; a 10,000-character message fits many times over. */
export const MAX_JSON_BYTES = 256 * 1024;

/** Reads and validates a JSON body; malformed JSON and schema failures are 400s, oversized 413. */
export async function parseJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES) throw tooLarge();
  let text: string;
  try {
    text = await req.text();
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body could not be read.');
  }
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw tooLarge();
  let raw: unknown;
  try {
    raw = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body must be valid JSON.');
  }
  if (raw === undefined) throw new AppError('BAD_REQUEST', 'The request body must be a JSON object.');
  assertStorableText(raw);
  const result = schema.safeParse(raw);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** Text no field could keep (see text.ts) is refused before any schema or query sees it. */
function assertStorableText(input: unknown): void {
  const fields = storableTextProblems(input);
  if (fields) throw invalidFields(fields);
}

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_JSON_BYTES / 1024} KiB.`);
}

/** Validates URL search params against a schema (400 with field errors on failure). */
export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  assertStorableText(params);
  const result = schema.safeParse(params);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
