// The file routes served straight from the custom server's Node request, not through Next: the
// same route handlers (POST …/messages/attachments, GET /api/attachments/{id}[/thumbnail]), handed
// the socket's stream as the upload body and answering with the file's own stream (see
// src/platform/node-body.ts). Under Next each chunk of a 25 MB file crosses two Web-stream queues,
// and undici copies every one of an upload's; here the bytes go socket → parser → disk and disk →
// socket in 1 MB steps (bench:files). Everything else Next adds to these routes is added here too:
// the fixed security headers, the sandboxing CSP of a user's file, HSTS. No logic of the routes
// lives here: they authenticate, authorise and answer exactly as they do under Next.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { logger } from '@/platform/logger';
import { nodeBodyOf, withNodeBody } from '@/platform/node-body';
import {
  API_CACHE_CONTROL,
  apiContentSecurityPolicy,
  FIXED_SECURITY_HEADERS,
  transportSecurityHeaders,
} from '@/platform/security-headers';
import * as attachment from '@/app/api/attachments/[attachmentId]/route';
import * as thumbnail from '@/app/api/attachments/[attachmentId]/thumbnail/route';
import * as instructorUpload from '@/app/api/instructor/messages/attachments/route';
import * as studentUpload from '@/app/api/user/messages/attachments/route';

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface TMatch {
  handler: RouteHandler;
  params: Record<string, string>;
  file: boolean;
}

const DOWNLOAD = /^\/api\/attachments\/([^/]+)(\/thumbnail)?$/;

function match(method: string | undefined, pathname: string): TMatch | null {
  if (method === 'POST' && pathname === '/api/instructor/messages/attachments')
    return { handler: instructorUpload.POST as RouteHandler, params: {}, file: false };
  if (method === 'POST' && pathname === '/api/user/messages/attachments')
    return { handler: studentUpload.POST as RouteHandler, params: {}, file: false };
  const download = method === 'GET' || method === 'HEAD' ? DOWNLOAD.exec(pathname) : null;
  if (download) {
    const handler = (download[2] ? thumbnail.GET : attachment.GET) as RouteHandler;
    return { handler, params: { attachmentId: safeDecode(download[1]!) }, file: true };
  }
  return null;
}

/** What a refused upload may still send before its answer goes out regardless (and the connection closes). */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_LIMIT_MS = 10_000;

/** Reads the rest of the request and drops it; false if it went past the byte or time bound. */
function drained(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let bytes = 0;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      req.off('data', count);
      req.off('end', ended);
      req.off('close', ended);
      resolve(ok);
    };
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > DRAIN_LIMIT_BYTES) done(false);
    };
    const ended = () => done(true);
    const timer = setTimeout(() => done(false), DRAIN_LIMIT_MS);
    req.unpipe();
    req.on('data', count);
    req.once('end', ended);
    req.once('close', ended);
    req.resume();
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Serves `req` when it is one of the file routes and answers true; false leaves it to Next.
 * `appUrl` is the public origin (for HSTS and the request's URL).
 */
export function serveFileTransfer(req: IncomingMessage, res: ServerResponse, appUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', appUrl);
  } catch {
    return false; // Next (after request-guard.ts) answers what is not a URL
  }
  const found = match(req.method, url.pathname);
  if (!found) return false;
  void answer(req, res, url, found, appUrl).catch((err: unknown) => {
    logger().warn({ err, path: url.pathname }, 'file transfer failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.destroy();
  });
  return true;
}

async function answer(req: IncomingMessage, res: ServerResponse, url: URL, found: TMatch, appUrl: string) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const request = new Request(url, { method: req.method, headers, signal: controller.signal });
  if (req.method === 'POST') withNodeBody(request, req);
  else req.resume();

  const response = await found.handler(request, { params: Promise.resolve(found.params) });

  // What next.config.ts and src/proxy.ts add to these routes under Next; the route's own win.
  // Names are lower-cased so that a route's header replaces the default instead of doubling it.
  const out: Record<string, string | string[]> = {};
  const put = (name: string, value: string | string[]) => {
    out[name.toLowerCase()] = value;
  };
  for (const [name, value] of Object.entries(FIXED_SECURITY_HEADERS)) put(name, value);
  for (const [name, value] of Object.entries(transportSecurityHeaders(appUrl))) put(name, value);
  put('content-security-policy', apiContentSecurityPolicy(url.pathname));
  if (!found.file) put('cache-control', API_CACHE_CONTROL);
  response.headers.forEach((value, name) => put(name, value));
  const cookies = response.headers.getSetCookie();
  if (cookies.length) put('set-cookie', cookies);
  // An upload refused mid-stream (too large, over quota, not allowed) is answered before the client
  // has sent it all. Closing then would reset the connection under the client, which may see
  // ECONNRESET instead of the answer; so the rest is read and dropped first, up to a bound.
  if (req.method === 'POST' && !req.complete && !(await drained(req))) out.connection = 'close';
  res.writeHead(response.status, out);

  const own = nodeBodyOf(response);
  if (req.method === 'HEAD' || !response.body) {
    own?.destroy();
    res.end();
    return;
  }
  const body = own ?? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  await pipeline(body, res).catch((err: unknown) => {
    // A client that goes away mid-download is not a failure of ours.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  });
}
