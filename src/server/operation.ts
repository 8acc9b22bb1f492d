// A REST operation declared once: its path, zod schemas for params, query, body and response, the
// area it belongs to, and a handler that calls the domain. The same declaration becomes the Next
// route handler (parse → call → map) and an entry of the OpenAPI document, so they cannot drift.
import { z, type ZodType } from 'zod';
import { requireApiUser, type Area, type SessionUser } from '@/auth/session';
import { AppError } from '@/platform/errors';
import { env } from '@/platform/env';
import { parseJson, parseQuery, route } from '@/platform/http';
import { appOrigins, assertSameOriginWrite } from '@/platform/same-origin';
import { getAppServices, type AppServices } from './services';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationResult<R> {
  data: R;
  status?: number;
  headers?: Record<string, string>;
}

export interface OperationInput<P, Q, B> {
  req: Request;
  user: SessionUser;
  /** The app's services: the use cases' context, built once per process. */
  ctx: AppServices;
  params: P;
  query: Q;
  body: B;
}

export interface Operation<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Relative to the area's prefix, OpenAPI style: /threads/{threadId}. */
  path: string;
  summary: string;
  description?: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** A multipart file upload in this field (the handler streams it) instead of a JSON body. */
  upload?: { field: string; description: string };
  response: ZodType;
  /** Success status (default 200). */
  status?: number;
  /** The error codes this operation can answer with, beyond 401/403 (area) and 400 (input). */
  errors: Array<{ status: number; code: string; when: string }>;
  handle(input: OperationInput<P, Q, B>): Promise<OperationResult<R>>;
}

export function defineOperation<P = undefined, Q = undefined, B = undefined, R = unknown>(
  op: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return op;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (req: Request, ctx: RouteContext) => Promise<Response>;

export interface HandlerOptions {
  /** The area whose roles may call; absent: any signed-in user (the caller's own data only). */
  area?: Area;
  services?: () => Promise<AppServices>;
}

/** The Next route handler of an operation: authenticate, validate, call, wrap in { data }. */
export function toRouteHandler(op: Operation, opts: HandlerOptions): RouteHandler {
  const services = opts.services ?? getAppServices;
  return route(async (req: Request, ctx: RouteContext) => {
    assertSameOriginWrite(req, appOrigins(env().APP_URL), op.upload ? 'multipart' : 'json');
    const svc = await services();
    const user = await requireApiUser(svc.auth, req.headers, opts.area);
    const rawParams = (await ctx?.params) ?? {};
    let params: unknown = rawParams;
    if (op.params) {
      const parsed = op.params.safeParse(rawParams);
      // An id that cannot exist is, to the caller, one that does not exist.
      if (!parsed.success) throw new AppError('NOT_FOUND', 'Nothing exists at this address.');
      params = parsed.data;
    }
    const query = op.query ? parseQuery(req, op.query) : undefined;
    const body = op.body ? await parseJson(req, op.body) : undefined;
    const result = await op.handle({ req, user, ctx: svc, params, query, body });
    return Response.json(
      { data: result.data },
      { status: result.status ?? op.status ?? 200, headers: result.headers },
    );
  });
}

/** The route handlers of one path: every listed method must be declared there. */
export function handlersAt<M extends HttpMethod>(
  ops: ReadonlyArray<Operation>,
  path: string,
  methods: readonly M[],
  opts: HandlerOptions,
): Record<M, RouteHandler> {
  const out = {} as Record<M, RouteHandler>;
  for (const method of methods) {
    const op = ops.find((o) => o.path === path && o.method === method);
    if (!op) throw new Error(`no ${method} operation declared at ${path}`);
    out[method] = toRouteHandler(op, opts);
  }
  return out;
}

export const ZErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
      /** The request's x-request-id: quote it in an error report to find its log lines. */
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });
