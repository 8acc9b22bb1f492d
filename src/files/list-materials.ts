// The Materials list: every file shared in the CLASS threads the caller takes part in now (an
// instructor's classes, a student's current classes), newest first, keyset-paginated, filtered by
// class, kind and name. Deleted messages' files are left out, as they are 404 to download.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@/db/client';
import { decodeCursor, encodeCursor, ZCursor } from '@/messaging/cursor';
import { toAttachment, ZAttachment, ZDate } from '@/messaging/dto';
import { validText, ZId } from '@/messaging/ids';
import { MAX_PAGE_SIZE } from '@/messaging/limits';
import { parseInput } from '@/platform/errors';
import type { FilesContext } from './context';
import { contentTypesOf, FILE_KINDS } from './file-types';

export const MATERIALS_PAGE_SIZE = 20;

export const ZListMaterialsQuery = z.object({
  classId: ZId.optional(),
  type: z.enum(FILE_KINDS).optional(),
  q: validText(z.string().trim().max(200)).optional(),
  cursor: ZCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(MATERIALS_PAGE_SIZE),
});
export type TListMaterialsQuery = z.input<typeof ZListMaterialsQuery>;

export const ZMaterial = z
  .object({
    attachment: ZAttachment,
    messageId: z.string(),
    threadId: z.string(),
    threadTitle: z.string().nullable(),
    classId: z.string(),
    className: z.string(),
    sharedBy: z.string(),
    sharedAt: ZDate,
  })
  .meta({ id: 'Material' });
export type TMaterial = z.infer<typeof ZMaterial>;

export const ZMaterialPage = z
  .object({ materials: z.array(ZMaterial), nextCursor: z.string().nullable() })
  .meta({ id: 'MaterialPage' });
export type TMaterialPage = z.infer<typeof ZMaterialPage>;

interface Row extends Record<string, unknown> {
  upload_id: string;
  attachment_id: string;
  filename: string;
  file_size: number | string;
  mime_type: string;
  width: number | null;
  height: number | null;
  thumbnail: boolean;
  created_at: Date | string;
  message_id: string;
  thread_id: string;
  title: string | null;
  class_id: string;
  class_name: string;
  sender_name: string;
}

export async function listMaterials(
  ctx: Pick<FilesContext, 'db'>,
  { userId, query = {} }: { userId: string; query?: TListMaterialsQuery },
): Promise<TMaterialPage> {
  const q = parseInput(ZListMaterialsQuery, query);
  const cursor = decodeCursor(q.cursor);
  const filters: SQL[] = [];
  if (q.classId) filters.push(sql`and t.class_id = ${q.classId}`);
  if (q.type) {
    const types = contentTypesOf(q.type);
    filters.push(
      sql`and ma.mime_type in (${sql.join(
        types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  if (q.q) filters.push(sql`and ma.filename ilike ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (cursor)
    filters.push(sql`and (ma.created_at, ma.id) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})`);

  const rows = await queryRows<Row>(
    ctx.db,
    sql`select fu.id as upload_id, ma.id as attachment_id, ma.filename, ma.file_size, ma.mime_type,
        fu.width, fu.height, fu.thumbnail_key is not null as thumbnail, ma.created_at,
        m.id as message_id, m.thread_id, t.title, t.class_id, c.name as class_name, u.name as sender_name
      from message_participants mp
      join message_threads t on t.id = mp.thread_id and t.type = 'CLASS'
      join messages m on m.thread_id = t.id and m.deleted_at is null
      join message_attachments ma on ma.message_id = m.id
      join uploads fu on fu.id = ma.upload_id
      join classes c on c.id = t.class_id
      join users u on u.id = m.sender_id
      where mp.user_id = ${userId} and mp.left_at is null ${sql.join(filters, sql` `)}
      order by ma.created_at desc, ma.id desc
      limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    materials: page.map((r) => ({
      attachment: toAttachment({
        id: r.upload_id,
        name: r.filename,
        size: r.file_size,
        contentType: r.mime_type,
        width: r.width,
        height: r.height,
        thumbnail: r.thumbnail,
      }),
      messageId: r.message_id,
      threadId: r.thread_id,
      threadTitle: r.title,
      classId: r.class_id,
      className: r.class_name,
      sharedBy: r.sender_name,
      sharedAt: new Date(r.created_at).toISOString(),
    })),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ at: last.created_at, id: last.attachment_id }) : null,
  };
}
