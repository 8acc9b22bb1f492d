// Uploads nobody sent are removed after a day (UNATTACHED_UPLOAD_TTL_MS): their rows, then their
// stored files. Rows go first, in one statement guarded by `message_id is null`, so a send racing
// the job either claims the upload first (and it stays) or finds it gone (a 404, upload again).
// The files of deleted messages go the same way (they are never served again, and already left
// the sender's quota when the message was deleted: bytesUsed does not count them). A "send
// individually" batch holds its uploads as templates until it has nobody left to send to; each
// recipient's message has its own row (a copy) over the same stored bytes, so a file's bytes are
// removed only when its last row goes: one student's deleted message leaves the others' files.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { uploads } from '@/db/schema';
import { logger } from '@/platform/logger';
import type { FilesContext } from './context';

export const UNATTACHED_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** A batch still sending: its templates stay (a retry of the request finishes it, files and all). */
const BATCH_DONE = sql`not exists (select 1 from message_batch_recipients r
  where r.batch_id = uploads.batch_id and r.status = 'pending')`;

export async function expireUploads(
  ctx: Pick<FilesContext, 'db' | 'store'>,
  { olderThan = new Date(Date.now() - UNATTACHED_UPLOAD_TTL_MS), batchSize = 500 } = {},
): Promise<{ expired: number; purged: number }> {
  const unsent = await removeUploads(
    ctx,
    batchSize,
    sql`select id from ${uploads}
      where message_id is null and batch_id is null and created_at < ${olderThan.toISOString()}::timestamptz
      order by created_at limit ${batchSize}`,
    sql`message_id is null and batch_id is null`,
  );
  // Every recipient's message has its copy: the templates are no longer needed.
  const templates = await removeUploads(
    ctx,
    batchSize,
    sql`select id from ${uploads} where message_id is null and batch_id is not null and ${BATCH_DONE}
      limit ${batchSize}`,
    sql`message_id is null and batch_id is not null and ${BATCH_DONE}`,
  );
  // A deleted message stays deleted (there is no undelete), so its files can go at once.
  const ofDeleted = await removeUploads(
    ctx,
    batchSize,
    sql`select u.id from ${uploads} u join messages m on m.id = u.message_id
      where m.deleted_at is not null limit ${batchSize}`,
    sql`true`,
  );
  return { expired: unsent + templates, purged: ofDeleted };
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
      // Copies share their keys (sent individually): the bytes stay while any row still has them.
      // A copy is only ever made from a template row, which has the keys too, so none can appear later.
      const [shared] = await queryRows(
        ctx.db,
        sql`select 1 from ${uploads} where storage_key = ${row.storage_key} limit 1`,
      );
      if (shared) continue;
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
