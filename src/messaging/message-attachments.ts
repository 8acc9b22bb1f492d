// Files in messages: the guide's message_attachments rows, written in the send's transaction from
// the sender's own unattached uploads, and read back with every message shape (REST pages, the
// change feed behind new-message and resume replays) through one SQL expression.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { messageAttachments, uploads, type Upload } from '@/db/schema';
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
    .where(claimable(ids, opts.senderId))
    .returning();
  return writeAttachmentRows(tx, { messageId: opts.messageId, at: opts.at }, inOrder(ids, claimed));
}

/**
 * Inside the transaction that stores a "send individually" batch: the sender's unattached uploads
 * become the batch's templates, claimed with the same guard as a send (own, unattached, not held by
 * another batch), so they can be neither sent nor expired while the batch still has someone to send
 * to. Returns the ids deduplicated, in the sender's order.
 */
export async function holdUploadsForBatch(
  tx: Db,
  opts: { batchId: string; senderId: string; uploadIds: readonly string[] },
): Promise<string[]> {
  const ids = [...new Set(opts.uploadIds)];
  if (ids.length === 0) return [];
  const held = await tx
    .update(uploads)
    .set({ batchId: opts.batchId })
    .where(claimable(ids, opts.senderId))
    .returning({ id: uploads.id });
  if (held.length !== ids.length) throw domainError('ATTACHMENT_NOT_FOUND');
  return ids;
}

/**
 * Inside the send of one batch recipient's message: a copy of each template upload row for this
 * message (new id, same stored bytes: storage and thumbnail keys), and its message_attachments
 * rows. Each recipient's attachment then has its own id, readable only by whoever sees that
 * message, while the bytes are stored once. A template gone (the batch sat unfinished past the
 * unsent-upload expiry) is ATTACHMENT_NOT_FOUND, and that recipient's send rolls back.
 */
export async function copyBatchUploads(
  tx: Db,
  opts: { messageId: string; batchId: string; templateIds: readonly string[]; at: Date },
): Promise<TAttachment[]> {
  if (opts.templateIds.length === 0) return [];
  const templates = await tx
    .select()
    .from(uploads)
    .where(and(inArray(uploads.id, [...opts.templateIds]), eq(uploads.batchId, opts.batchId)));
  const ordered = inOrder([...opts.templateIds], templates);
  const copies = ordered.map((template): Upload => ({
    ...template,
    id: crypto.randomUUID(),
    messageId: opts.messageId,
    attachedAt: opts.at,
    batchId: null,
  }));
  await tx.insert(uploads).values(copies);
  return writeAttachmentRows(tx, { messageId: opts.messageId, at: opts.at }, copies);
}

/** The uploads a send may take: the sender's own, in no message, held by no batch. */
function claimable(ids: string[], senderId: string) {
  return and(
    inArray(uploads.id, ids),
    eq(uploads.ownerId, senderId),
    isNull(uploads.messageId),
    isNull(uploads.batchId),
  );
}

/** `rows` in the order of `ids`; a missing one means the claim was refused. */
function inOrder(ids: string[], rows: Upload[]): Upload[] {
  if (rows.length !== ids.length) throw domainError('ATTACHMENT_NOT_FOUND');
  const byId = new Map(rows.map((u) => [u.id, u]));
  return ids.map((id) => byId.get(id)!);
}

/** The message's message_attachments rows for its uploads, in order, and their public shape. */
async function writeAttachmentRows(
  tx: Db,
  message: { messageId: string; at: Date },
  ordered: Upload[],
): Promise<TAttachment[]> {
  await tx.insert(messageAttachments).values(
    ordered.map((u, position) => ({
      messageId: message.messageId,
      uploadId: u.id,
      filename: u.filename,
      fileUrl: attachmentUrl(u.id),
      fileSize: u.size,
      mimeType: u.contentType,
      position,
      createdAt: message.at,
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
