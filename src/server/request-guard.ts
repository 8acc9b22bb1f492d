// The custom server's first look at a request, before Next or Socket.IO see it. A path that is not
// valid percent-encoded UTF-8, or a method the app never serves, would reach Next and come back as a
// text/plain 500; here it gets the API's JSON error shape with a 400 or 405 and the security headers.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from '@/platform/errors';
import {
  API_CACHE_CONTROL,
  API_CSP,
  FIXED_SECURITY_HEADERS,
  transportSecurityHeaders,
} from '@/platform/security-headers';

export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const ALLOW = ALLOWED_METHODS.join(', ');
const allowed: ReadonlySet<string> = new Set(ALLOWED_METHODS);

export interface Rejection {
  status: number;
  code: string;
  message: string;
  /** Extra headers of this answer (Allow on a 405). */
  headers?: Record<string, string>;
}

const METHOD_NOT_ALLOWED: Rejection = {
  status: 405,
  code: 'METHOD_NOT_ALLOWED',
  message: `This method is not supported. Use one of ${ALLOW}.`,
  headers: { Allow: ALLOW },
};

const MALFORMED_URL: Rejection = {
  status: 400,
  code: 'BAD_REQUEST',
  message: 'The address is malformed: its percent-encoding is not valid UTF-8.',
};

/** The path of a request target: origin-form (`/a/b?c`) or absolute-form (`http://host/a/b?c`). */
function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target.split(/[?#]/, 1)[0];
  try {
    return new URL(target).pathname;
  } catch {
    // `*` (OPTIONS *) and anything else that is not a URL.
    return undefined;
  }
}

/** Why this request line is refused, or undefined when Next may have it. */
export function checkRequestLine(
  method: string | undefined,
  target: string | undefined,
): Rejection | undefined {
  if (!method || !allowed.has(method)) return METHOD_NOT_ALLOWED;
  const path = pathOf(target ?? '');
  if (path === undefined) return MALFORMED_URL;
  try {
    decodeURIComponent(path);
  } catch {
    // URIError: a lone `%`, `%zz`, or bytes that are not UTF-8 (`%ff%fe`, the overlong `%c0%ae`).
    return MALFORMED_URL;
  }
  return undefined;
}

/** Node's parse errors (llhttp) as rejections: an unknown method token never reaches a request handler. */
export function rejectionForParseError(code: string | undefined): Rejection {
  switch (code) {
    case 'HPE_INVALID_METHOD':
      return METHOD_NOT_ALLOWED;
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive.' };
    default:
      return { status: 400, code: 'BAD_REQUEST', message: 'The request could not be parsed.' };
  }
}

export interface EarlyAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The full answer to a rejection: the JSON error body with the same headers an API response carries. */
export function earlyAnswer(rejection: Rejection, appUrl: string): EarlyAnswer {
  const body = JSON.stringify(errorBody(rejection.code, rejection.message));
  return {
    status: rejection.status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': API_CACHE_CONTROL,
      'Content-Security-Policy': API_CSP,
      ...FIXED_SECURITY_HEADERS,
      ...transportSecurityHeaders(appUrl),
      ...rejection.headers,
    },
    body,
  };
}

/** An answer written straight onto a socket, for when there is no ServerResponse (parse errors, upgrades). */
export function rawResponse({ status, headers, body }: EarlyAnswer): string {
  const lines = Object.entries({ ...headers, Connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** For the http server's request listener: true when the request was answered here. */
export function answerMalformedRequest(req: IncomingMessage, res: ServerResponse, appUrl: string): boolean {
  const rejection = checkRequestLine(req.method, req.url);
  if (!rejection) return false;
  const answer = earlyAnswer(rejection, appUrl);
  res.writeHead(answer.status, answer.headers).end(answer.body);
  return true;
}

/** For the 'upgrade' event: true when the upgrade was refused here (and the socket closed). */
export function refuseMalformedUpgrade(req: IncomingMessage, socket: Duplex, appUrl: string): boolean {
  const rejection = checkRequestLine(req.method, req.url);
  if (!rejection) return false;
  socket.end(rawResponse(earlyAnswer(rejection, appUrl)));
  return true;
}

/** For the 'clientError' event, replacing Node's bare `400 Bad Request` with the JSON shape. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex, appUrl: string): void {
  // The peer is gone or the socket already closed for writing: there is nobody to answer.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(earlyAnswer(rejectionForParseError(err.code), appUrl)));
}
