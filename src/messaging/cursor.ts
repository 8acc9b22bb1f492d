// Opaque keyset cursors: a (timestamp, id) pair, base64url-encoded. Threads page on
// (activity, id), messages on (created_at, id); both round-trip exactly at millisecond precision.
import { z } from 'zod';
import { SEARCH_AGES } from './limits';

export interface TKeysetCursor {
  at: Date;
  id: string;
}

/** `at` as a Date (a row) or an ISO string (a mapped view). */
export function encodeCursor(cursor: { at: Date | string; id: string }): string {
  return Buffer.from(`${new Date(cursor.at).getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The last instant toISOString writes with a four-digit year: later ones PostgreSQL cannot parse. */
const MAX_CURSOR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Anything malformed yields null. */
export function decodeCursor(raw: string | null | undefined): TKeysetCursor | null {
  if (!raw || raw.length > 200) return null;
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const ms = Number(match[1]);
  if (ms > MAX_CURSOR_MS) return null;
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2] };
}

/** For API input: a malformed cursor is a 400 naming the field, not a silent first page. */
export const ZCursor = z
  .string()
  .max(200)
  .refine((raw) => decodeCursor(raw) !== null, { message: 'Not a cursor this API returned.' });

/**
 * Search pages: the last result's place in the order, the sort it belongs to, and (relevance order)
 * its rank as the float8 the query computed, which a JS number carries exactly. `tier` is the age
 * band the result came from and `anchor` the instant the bands were measured from (the first page's
 * time), so every page of one search uses the same bands (search-messages.ts).
 */
export interface TSearchCursor {
  sort: 'relevance' | 'recent';
  rank: number | null;
  at: Date;
  id: string;
  tier: number;
  anchor: Date;
}

const ZSearchPlace = [
  z.enum(['relevance', 'recent']),
  z.number().finite().nullable(),
  z.number().int().min(0).max(MAX_CURSOR_MS),
  z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
] as const;
const ZSearchCursorTuple = z.union([
  z.tuple([
    ...ZSearchPlace,
    z
      .number()
      .int()
      .min(0)
      .max(SEARCH_AGES.length - 1),
    z.number().int().min(0).max(MAX_CURSOR_MS),
  ]),
  // Cursors handed out before age bands existed: their search had one band, read from the first.
  z.tuple(ZSearchPlace),
]);

export function encodeSearchCursor(c: {
  sort: TSearchCursor['sort'];
  rank: number | null;
  at: Date | string;
  id: string;
  tier: number;
  anchor: Date;
}): string {
  const tuple = [c.sort, c.rank, new Date(c.at).getTime(), c.id, c.tier, c.anchor.getTime()];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

export function decodeSearchCursor(raw: string | null | undefined): TSearchCursor | null {
  if (!raw || raw.length > 300) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = ZSearchCursorTuple.safeParse(value);
  if (!parsed.success) return null;
  const [sort, rank, ms, id, tier = 0, anchor = Date.now()] = parsed.data;
  if ((sort === 'relevance') !== (rank !== null)) return null;
  return { sort, rank, at: new Date(ms), id, tier, anchor: new Date(anchor) };
}

export const ZSearchCursor = z
  .string()
  .max(300)
  .refine((raw) => decodeSearchCursor(raw) !== null, { message: 'Not a cursor this API returned.' });
