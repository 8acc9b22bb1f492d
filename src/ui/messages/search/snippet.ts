// A search snippet as pieces of text, each marked or not: the UI renders them as text nodes and
// <mark> elements, so a message's markup is never parsed as HTML.
export interface TSnippetPart {
  text: string;
  mark: boolean;
}

export function snippetParts(snippet: { text: string; highlights: Array<[number, number]> }): TSnippetPart[] {
  const parts: TSnippetPart[] = [];
  let at = 0;
  const ranges = [...snippet.highlights].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of ranges) {
    // Ranges from the server are in order and apart; anything else is clamped rather than trusted.
    const s = Math.max(at, Math.min(start, snippet.text.length));
    const e = Math.max(s, Math.min(end, snippet.text.length));
    if (s > at) parts.push({ text: snippet.text.slice(at, s), mark: false });
    if (e > s) parts.push({ text: snippet.text.slice(s, e), mark: true });
    at = e;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), mark: false });
  return parts;
}

/** Recent searches, newest first, kept per user in localStorage. */
const RECENT_MAX = 5;
const recentKey = (userId: string) => `cm:recent-searches:${userId}`;

export function readRecentSearches(userId: string): string[] {
  try {
    const raw = JSON.parse(window.localStorage.getItem(recentKey(userId)) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? raw.filter((v): v is string => typeof v === 'string').slice(0, RECENT_MAX)
      : [];
  } catch {
    return [];
  }
}

export function rememberSearch(userId: string, q: string): string[] {
  const text = q.trim();
  if (!text) return readRecentSearches(userId);
  const next = [text, ...readRecentSearches(userId).filter((v) => v !== text)].slice(0, RECENT_MAX);
  try {
    window.localStorage.setItem(recentKey(userId), JSON.stringify(next));
  } catch {
    // Storage full or blocked: recent searches are a convenience.
  }
  return next;
}
