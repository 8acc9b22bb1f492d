// Uploads nobody sent are removed after a day (UNATTACHED_UPLOAD_TTL_MS): their rows, then their
// stored files. Rows go first, in one statement guarded by `message_id is null`, so a send racing
// the job either claims the upload first (and it stays) or finds it gone (a 404, upload again).
// The files of deleted messages go the same way (they are never served again, and already left
// the sender's quota when the message was deleted: bytesUsed does not count them).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { uploads } from '@/db/schema';
import { logger } from '@/platform/logger';
import type { FilesContext } from './context';

export const UNATTACHED_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export async function expireUploads(
  ctx: Pick<FilesContext, 'db' | 'store'>,
  { olderThan = new Date(Date.now() - UNATTACHED_UPLOAD_TTL_MS), batchSize = 500 } = {},
): Promise<{ expired: number; purged: number }> {
  const unsent = await removeUploads(
    ctx,
    batchSize,
    sql`select id from ${uploads}
      where message_id is null and created_at < ${olderThan.toISOString()}::timestamptz
      order by created_at limit ${batchSize}`,
    sql`message_id is null`,
  );
  // A deleted message stays deleted (there is no undelete), so its files can go at once.
  const ofDeleted = await removeUploads(
    ctx,
    batchSize,
    sql`select u.id from ${uploads} u join messages m on m.id = u.message_id
      where m.deleted_at is not null limit ${batchSize}`,
    sql`true`,
  );
  return { expired: unsent, purged: ofDeleted };
}

/** Deletes the rows `select` names (re-checked with `guard`), batch by batch, then their stored files. */
async function removeUploads(
  ctx: Pick<FilesContext, 'db' | 'store'>,
  batchSize: number,
  select: SQL,
  guard: SQL,
): Promise<number> {
  let removed = 0;
  for (;;) {
    const rows = await queryRows<{ storage_key: string; thumbnail_key: string | null }>(
      ctx.db,
      sql`delete from ${uploads} where id in (${select}) and ${guard}
        returning storage_key, thumbnail_key`,
    );
    for (const row of rows) {
      for (const key of [row.storage_key, row.thumbnail_key]) {
        // A file left behind costs disk, never correctness: no row points at it any more.
        if (key)
          await ctx.store
            .delete(key)
            .catch((err: unknown) => logger().warn({ err, key }, 'deleting an expired upload failed'));
      }
    }
    removed += rows.length;
    if (rows.length < batchSize) return removed;
  }
}
