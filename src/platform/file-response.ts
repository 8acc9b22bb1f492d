// Answers that carry a stored file: one byte range or all of it, conditional on its ETag, with the
// headers that keep a user's file from ever running as part of the app (nosniff, a sandboxing CSP,
// a download unless it is a re-encoded image) and out of shared caches.
import type { Readable } from 'node:stream';
import { AppError } from './errors';
import { nodeBackedBody } from './node-body';
import { ATTACHMENT_CACHE_CONTROL, ATTACHMENT_CSP } from './security-headers';

export interface TServedFile {
  size: number;
  contentType: string;
  etag: string;
  /** The name a download is saved as. */
  filename: string;
  /** Shown in the page (re-encoded images); anything else is a download. */
  inline: boolean;
  open(range?: { start: number; end: number }): Promise<Readable>;
}

export async function fileResponse(req: Request, file: TServedFile): Promise<Response> {
  const headers = new Headers({
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(file.inline ? 'inline' : 'attachment', file.filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': ATTACHMENT_CSP,
    'Cache-Control': ATTACHMENT_CACHE_CONTROL,
    ETag: file.etag,
    'Accept-Ranges': 'bytes',
  });
  if (etagMatches(req.headers.get('if-none-match'), file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const range = parseRange(req.headers.get('range'), file.size);
  if (range === 'unsatisfiable') {
    throw new AppError('RANGE_NOT_SATISFIABLE', `Ask for bytes within 0-${file.size - 1}.`, {
      status: 416,
      headers: { 'Content-Range': `bytes */${file.size}` },
    });
  }
  const body = await file.open(range ?? undefined);
  const { web, attach } = nodeBackedBody(body);
  if (range) {
    headers.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    headers.set('Content-Length', String(range.end - range.start + 1));
    return attach(new Response(web, { status: 206, headers }));
  }
  headers.set('Content-Length', String(file.size));
  return attach(new Response(web, { status: 200, headers }));
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

/**
 * One `bytes=` range (a-b, a-, or -n), clamped to the file; null for none or for a form we serve
 * whole (several ranges, another unit), 'unsatisfiable' when it starts past the end.
 */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * RFC 6266 with an RFC 5987 `filename*` (UTF-8, percent-encoded), so any name survives, and an
 * ASCII `filename` fallback in which quotes, backslashes and anything else unsafe became `_`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
