// Files in messages: the guide's message_attachments rows, written in the send's transaction from
// the sender's own unattached uploads, and read back with every message shape (REST pages, the
// change feed behind new-message and resume replays) through one SQL expression.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { messageAttachments, uploads } from '@/db/schema';
import { attachmentUrl, parseAttachments, toAttachment, type TAttachment } from './dto';
import { domainError } from './errors';

/**
 * The attachments of the message whose id is `messageId`, as a json array in the order sent.
 * Used as a column of every query that reads messages, so each shape carries them.
 */
export function attachmentsJson(messageId: SQL): SQL<unknown> {
  return sql`coalesce((select json_agg(json_build_object(
      'id', fu.id, 'name', ma.filename, 'size', ma.file_size, 'contentType', ma.mime_type,
      'width', fu.width, 'height', fu.height, 'thumbnail', fu.thumbnail_key is not null
    ) order by ma.position)
    from message_attachments ma join uploads fu on fu.id = ma.upload_id
    where ma.message_id = ${messageId}), '[]'::json)`;
}

export { parseAttachments };

/**
 * Inside the send's transaction: claims the sender's unattached uploads for the message and writes
 * its message_attachments rows. The claim is one guarded update, so an upload joins one message
 * only, even when two sends name it at once. Anything that is not the sender's own unattached
 * upload is ATTACHMENT_NOT_FOUND (404), the same as an id that does not exist, and the send rolls back.
 */
export async function attachUploads(
  tx: Db,
  opts: { messageId: string; senderId: string; uploadIds: readonly string[]; at: Date },
): Promise<TAttachment[]> {
  const ids = [...new Set(opts.uploadIds)];
  if (ids.length === 0) return [];
  const claimed = await tx
    .update(uploads)
    .set({ messageId: opts.messageId, attachedAt: opts.at })
    .where(and(inArray(uploads.id, ids), eq(uploads.ownerId, opts.senderId), isNull(uploads.messageId)))
    .returning();
  if (claimed.length !== ids.length) throw domainError('ATTACHMENT_NOT_FOUND');
  const byId = new Map(claimed.map((u) => [u.id, u]));
  const ordered = ids.map((id) => byId.get(id)!);
  await tx.insert(messageAttachments).values(
    ordered.map((u, position) => ({
      messageId: opts.messageId,
      uploadId: u.id,
      filename: u.filename,
      fileUrl: attachmentUrl(u.id),
      fileSize: u.size,
      mimeType: u.contentType,
      position,
      createdAt: opts.at,
    })),
  );
  return ordered.map((u) =>
    toAttachment({
      id: u.id,
      name: u.filename,
      size: u.size,
      contentType: u.contentType,
      width: u.width,
      height: u.height,
      thumbnail: u.thumbnailKey !== null,
    }),
  );
}

/** One message's attachments (for the answers of an edit). */
export async function readAttachments(db: Db, messageId: string): Promise<TAttachment[]> {
  const [row] = await queryRows<{ attachments: unknown }>(
    db,
    sql`select ${attachmentsJson(sql`${messageId}`)} as attachments`,
  );
  return parseAttachments(row?.attachments);
}
