// What a log line needs to know about the request it belongs to: its id (x-request-id, taken from the
// caller or generated), the client address and the route template. The custom server opens one context
// per request; every log line and error body inside it carries the id, so a user's error report finds
// its lines. One store per process, shared by server.ts and Next's bundles (as the logger is).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface TRequestContext {
  requestId: string;
  /** The route template (`/api/user/messages/threads/:id`), never the concrete path. */
  route?: string;
  ip?: string;
}

const key = Symbol.for('classroom-messaging.request-context');
type G = typeof globalThis & { [key]?: AsyncLocalStorage<TRequestContext> };

function storage(): AsyncLocalStorage<TRequestContext> {
  const g = globalThis as G;
  g[key] ??= new AsyncLocalStorage<TRequestContext>();
  return g[key];
}

/** Runs `fn` with `context` as the current request's. */
export function runWithRequest<T>(context: TRequestContext, fn: () => T): T {
  return storage().run(context, fn);
}

export function currentRequest(): TRequestContext | undefined {
  return storage().getStore();
}

/**
 * A caller's id is kept when it is a sane token (a proxy's or a client's own correlation id);
 * anything else (too long, odd characters that would corrupt a log line) is replaced by a new UUID.
 */
export function requestIdFrom(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}
