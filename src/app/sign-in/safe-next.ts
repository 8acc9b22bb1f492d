// Where to go after signing in: only a path on this site. "//host" and "/\host" are rejected because
// browsers treat them as another origin.

export function safeNextPath(value: string | string[] | undefined | null): string | null {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || next.length > 2048) return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  // Control characters (tabs, newlines) are stripped by URL parsers and could smuggle in a "//".
  if (/[\u0000-\u001f\u007f]/.test(next)) return null;
  return next;
}
