// Reading a stored file back. Who may: its uploader while it is unattached (their own preview),
// and once sent, whoever may see its message, by the one rule of verifyMessageVisible. Anyone
// else, a deleted message's files, and ids that do not exist all get the same 404.
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { uploads, type Upload } from '@/db/schema';
import { verifyMessageVisible } from '@/messaging/verify-message-access';
import { AppError } from '@/platform/errors';
import type { FilesContext } from './context';
import { fileError } from './errors';
import type { TByteRange } from './storage';

export type TAttachmentVariant = 'original' | 'thumbnail';

export interface TOpenedAttachment {
  upload: Upload;
  variant: TAttachmentVariant;
  /** Bytes of the whole variant. */
  size: number;
  contentType: string;
  /** Shown in the page (a re-encoded image or its thumbnail), else only ever downloaded. */
  inline: boolean;
  /** Changes only if the bytes could: an id's bytes never change. */
  etag: string;
  /** Opens the bytes (all of them, or one range); call only once the answer is decided. */
  open(range?: TByteRange): Promise<Readable>;
}

export function attachmentNotFound(): AppError {
  return fileError('ATTACHMENT_NOT_FOUND', 'This file does not exist or you do not have access to it.');
}

export async function openAttachment(
  ctx: FilesContext,
  { userId, attachmentId, variant }: { userId: string; attachmentId: string; variant: TAttachmentVariant },
): Promise<TOpenedAttachment> {
  const [upload] = await ctx.db.select().from(uploads).where(eq(uploads.id, attachmentId)).limit(1);
  if (!upload) throw attachmentNotFound();
  await assertCanRead(ctx, upload, userId);

  const thumbnail = variant === 'thumbnail';
  const key = thumbnail ? upload.thumbnailKey : upload.storageKey;
  if (!key) throw attachmentNotFound();
  return {
    upload,
    variant,
    size: thumbnail ? Number(upload.thumbnailSize) : upload.size,
    contentType: thumbnail ? 'image/webp' : upload.contentType,
    inline: upload.thumbnailKey !== null,
    etag: `"${upload.id}.${variant}"`,
    open: (range) => ctx.store.get(key, range),
  };
}

async function assertCanRead(ctx: FilesContext, upload: Upload, userId: string): Promise<void> {
  if (upload.messageId === null) {
    if (upload.ownerId !== userId) throw attachmentNotFound();
    return;
  }
  try {
    const { message } = await verifyMessageVisible(ctx.db, { userId, messageId: upload.messageId });
    if (message.deletedAt) throw attachmentNotFound();
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw attachmentNotFound();
    throw err;
  }
}
