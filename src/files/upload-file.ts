// An upload: the file is streamed to a scratch file while it is counted (a file past the size limit
// or the caller's quota is refused mid-stream, and its bytes are removed), then judged by its own
// bytes, images are re-encoded (EXIF gone, a thumbnail made, dimensions recorded), and the result
// is stored under random keys and recorded as the caller's, unattached until a send names it.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { STREAM_BUFFER_BYTES } from '@/platform/streams';
import { uploads } from '@/db/schema';
import { toAttachment, type TAttachment } from '@/messaging/dto';
import { ALLOWED_TYPES_LABEL, detectAllowedType } from './file-types';
import type { FilesContext } from './context';
import { fileError } from './errors';
import { reencodeImage } from './images';
import { formatBytes } from './limits';

export interface TUploadFileOptions {
  userId: string;
  /** The name the client gave; kept for display and downloads, never used as a path. */
  filename: string;
  body: Readable;
}

export async function uploadFile(ctx: FilesContext, opts: TUploadFileOptions): Promise<TAttachment> {
  const { store, fileLimits } = ctx;
  const name = displayName(opts.filename);
  const used = await bytesUsed(ctx, opts.userId);
  const room = fileLimits.quotaBytes - used;
  if (room <= 0) {
    opts.body.resume();
    throw quotaExceeded(fileLimits.quotaBytes);
  }
  const limit = Math.min(fileLimits.maxBytes, room);

  const scratch: string[] = [];
  const stored: string[] = [];
  const fresh = () => {
    const p = store.scratchPath();
    scratch.push(p);
    return p;
  };
  try {
    const original = fresh();
    const size = await receive(opts.body, original, limit, (received) =>
      received > fileLimits.maxBytes
        ? fileError(
            'PAYLOAD_TOO_LARGE',
            `File too large; the limit is ${formatBytes(fileLimits.maxBytes)}. Share a smaller file.`,
          )
        : quotaExceeded(fileLimits.quotaBytes),
    );
    if (size === 0) throw fileError('EMPTY_FILE', 'This file is empty. Choose a file with something in it.');

    const type = await detectAllowedType(original, name);
    if (!type) {
      throw fileError(
        'UNSUPPORTED_FILE_TYPE',
        `This file type can't be shared. You can share ${ALLOWED_TYPES_LABEL}.`,
      );
    }

    let file = original;
    let image: { width: number; height: number; thumbnail: string } | undefined;
    if (type.image) {
      const done = await reencodeImage(original, type.image, { out: fresh(), thumbnail: fresh() });
      file = done.file;
      image = done;
    }
    const main = await store.putFile(file);
    stored.push(main.key);
    const thumb = image ? await store.putFile(image.thumbnail) : undefined;
    if (thumb) stored.push(thumb.key);

    const [row] = await ctx.db
      .insert(uploads)
      .values({
        ownerId: opts.userId,
        filename: name,
        contentType: type.contentType,
        size: main.size,
        storageKey: main.key,
        thumbnailKey: thumb?.key ?? null,
        thumbnailSize: thumb?.size ?? null,
        width: image?.width ?? null,
        height: image?.height ?? null,
      })
      .returning();
    stored.length = 0;
    return uploadView(row!);
  } catch (err) {
    // Whatever failed, nothing of this upload stays: not its scratch files, not its stored objects.
    opts.body.resume();
    await Promise.all(stored.map((key) => store.delete(key).catch(() => undefined)));
    throw err;
  } finally {
    await Promise.all(scratch.map((p) => fs.rm(p, { force: true })));
  }
}

export function uploadView(row: typeof uploads.$inferSelect): TAttachment {
  return toAttachment({
    id: row.id,
    name: row.filename,
    size: row.size,
    contentType: row.contentType,
    width: row.width,
    height: row.height,
    thumbnail: row.thumbnailKey !== null,
  });
}

/**
 * Bytes the user keeps in uploads, thumbnails included, sent or not. A deleted message's files no
 * longer count: deleting is how a user makes room (expire-uploads.ts then removes the bytes). A
 * file sent individually to many students is stored once and has a row per message (copies sharing
 * its storage key): it counts once, for as long as any of those rows is live.
 */
export async function bytesUsed(ctx: Pick<FilesContext, 'db'>, userId: string): Promise<number> {
  const [row] = await queryRows<{ used: string | number }>(
    ctx.db,
    sql`select coalesce(sum(size + coalesce(thumbnail_size, 0)), 0) as used
      from (select distinct on (storage_key) size, thumbnail_size from ${uploads}
        where ${eq(uploads.ownerId, userId)}
          and not exists (select 1 from messages m where m.id = ${uploads.messageId} and m.deleted_at is not null)
      ) stored`,
  );
  return Number(row?.used ?? 0);
}

function quotaExceeded(quota: number) {
  return fileError(
    'QUOTA_EXCEEDED',
    `Your storage is full: files you share can take up to ${formatBytes(quota)} in all. Share a smaller file.`,
  );
}

/**
 * Streams `body` to `file`, counting; past `limit` bytes it stops at once with `tooMuch(received)`
 * (the partial file is then removed by the caller). Never holds more than a chunk in memory.
 */
async function receive(
  body: Readable,
  file: string,
  limit: number,
  tooMuch: (received: number) => Error,
): Promise<number> {
  let received = 0;
  // Counted beside the pipe rather than in a stage of it: one stream hop less per chunk.
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) body.destroy(tooMuch(received));
  };
  body.on('data', count);
  // The one large buffer of an upload: the disk gets 1 MB writes (writev of what queued), not 64 KB ones.
  const out = createWriteStream(file, { flags: 'wx', highWaterMark: STREAM_BUFFER_BYTES });
  try {
    await pipeline(body, out);
  } catch (err) {
    // pipeline settles on the first error, while the file stream may still be opening: wait until it
    // has closed, or the caller's removal can run first and the opening recreate the partial file.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    throw err;
  } finally {
    body.off('data', count);
  }
  return received;
}

/**
 * The name as people will see it: control characters (newlines included) become spaces, and it is
 * cut to 200 characters. Quotes, slashes and any script are kept; the name is only ever shown, and
 * Content-Disposition encodes it (RFC 5987).
 */
export function displayName(raw: string): string {
  const cleaned = raw
    .toWellFormed()
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = Array.from(cleaned).slice(0, 200).join('');
  return cut || 'file';
}
