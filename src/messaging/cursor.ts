// Opaque keyset cursors: a (timestamp, id) pair, base64url-encoded. Threads page on
// (activity, id), messages on (created_at, id); both round-trip exactly at millisecond precision.
import { z } from 'zod';

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
