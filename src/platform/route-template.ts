// The route template of a request path, for metric labels and log lines: ids become `:id`, so the
// number of label values stays bounded by the number of routes, never by the data.

/** A uuid, a number, or a long token with digits (ids, hashes, file names of built assets). */
const ID_SEGMENT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|(?=.*\d)[\w.~-]{16,})$/i;
const MAX_SEGMENTS = 8;

export function routeTemplate(url: string): string {
  const path = url.split('?')[0] ?? '/';
  if (path.startsWith('/_next/')) return '/_next/*';
  if (path.startsWith('/socket.io/')) return '/socket.io/*';
  const segments = path.split('/').filter(Boolean).slice(0, MAX_SEGMENTS);
  return '/' + segments.map((s) => (ID_SEGMENT.test(s) ? ':id' : s.length > 40 ? ':long' : s)).join('/');
}

/**
 * The label for a finished request: a 404 or 405 is `unmatched`, whatever its path, because paths
 * nobody routes (scanners, typos) would otherwise add a label value each.
 */
export function routeLabel(template: string, status: number): string {
  return status === 404 || status === 405 ? 'unmatched' : template;
}
