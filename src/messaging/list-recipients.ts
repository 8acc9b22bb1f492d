// Who the caller may start a DIRECT thread with: for an instructor (or an admin acting as one), the
// students currently enrolled in a class they teach; for a student, the instructors of the classes
// they are currently enrolled in. The same rule as createThread's (sharesClassSql, canStartDirect):
// one of the two teaches a class the other is currently enrolled in, and exactly one of them has an
// instructor role. Keyset-paginated on (name, id); three bounded queries per page: the page, the
// shared classes of its people, and the caller's existing DIRECT threads with them.
import { and, asc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AREA_ROLES, MAX_RECIPIENT_PAGE_SIZE, RECIPIENT_PAGE_SIZE } from './limits';
import { queryRows } from '@/db/client';
import {
  classEnrollments,
  classInstructors,
  classes,
  messageParticipants,
  messageThreads,
  users,
} from '@/db/schema';
import { likePattern } from '@/platform/sql';
import { ZRole } from './dto';
import { validText } from './ids';
import { directKeyFor } from './policies';
import type { MessagingContext } from './context';

export { RECIPIENT_PAGE_SIZE };

// ---- the (name, id) cursor ----------------------------------------------------------------------

export interface TRecipientCursor {
  name: string;
  id: string;
}

const MAX_CURSOR_CHARS = 2000;

export function encodeRecipientCursor(cursor: TRecipientCursor): string {
  return Buffer.from(`${cursor.id}.${cursor.name}`, 'utf8').toString('base64url');
}

/** Anything malformed yields null. */
export function decodeRecipientCursor(raw: string | null | undefined): TRecipientCursor | null {
  if (!raw || raw.length > MAX_CURSOR_CHARS) return null;
  const match = /^([A-Za-z0-9_-]{1,64})\.([\s\S]*)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  // PostgreSQL text cannot hold U+0000: a forged cursor with one is malformed, not a 500.
  if (!match?.[1] || match[2] === undefined || match[2].includes('\u0000')) return null;
  return { id: match[1], name: match[2] };
}

/** For API input: a malformed cursor is a 400 naming the field, not a silent first page. */
export const ZRecipientCursor = z
  .string()
  .max(MAX_CURSOR_CHARS)
  .refine((raw) => decodeRecipientCursor(raw) !== null, { message: 'Not a cursor this API returned.' });

// ---- input and answer ---------------------------------------------------------------------------

export const ZListRecipientsQuery = z.object({
  /** Case-insensitive substring of the name or email. */
  q: validText(z.string().trim().max(100)).optional(),
  cursor: ZRecipientCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RECIPIENT_PAGE_SIZE).default(RECIPIENT_PAGE_SIZE),
});

export interface TListRecipientsOptions {
  userId: string;
  q?: string;
  cursor?: string | null;
  limit?: number;
  /** Just this person, if the caller may message them (a roster's Message button). */
  only?: string;
}

const ZSharedClass = z.object({ id: z.string(), name: z.string(), code: z.string() });

export const ZRecipient = z
  .object({
    id: z.string(),
    name: z.string(),
    role: ZRole,
    classes: z.array(ZSharedClass).describe('The current classes the two share, by name'),
    directThreadId: z
      .string()
      .nullable()
      .describe('The existing DIRECT thread between the two, if the caller is still in it'),
  })
  .meta({ id: 'Recipient' });
export type TRecipient = z.infer<typeof ZRecipient>;

export const ZRecipientPage = z
  .object({ recipients: z.array(ZRecipient), nextCursor: z.string().nullable() })
  .meta({ id: 'RecipientPage' });
export type TRecipientPage = z.infer<typeof ZRecipientPage>;

// ---- the query ----------------------------------------------------------------------------------

/**
 * (user_id, class_id) of everyone linked to `userId` through a current class: students currently
 * enrolled in a class `userId` teaches, and instructors of a class `userId` is currently enrolled
 * in (sharesClassSql's two directions). `only` restricts the other side to these users.
 */
function linksSql(userId: string, only?: string[]): SQL {
  const onlyStudents = only ? sql`and se.student_id in ${only}` : sql``;
  const onlyInstructors = only ? sql`and si.instructor_id in ${only}` : sql``;
  return sql`
    select se.student_id as user_id, se.class_id from ${classEnrollments} se
      join ${classInstructors} si on si.class_id = se.class_id
      where si.instructor_id = ${userId} and se.left_at is null ${onlyStudents}
    union
    select si.instructor_id as user_id, si.class_id from ${classInstructors} si
      join ${classEnrollments} se on se.class_id = si.class_id
      where se.student_id = ${userId} and se.left_at is null ${onlyInstructors}`;
}

export async function listRecipients(
  ctx: MessagingContext,
  opts: TListRecipientsOptions,
): Promise<TRecipientPage> {
  const { db } = ctx;
  const pageSize = Math.min(
    Math.max(Math.trunc(opts.limit ?? RECIPIENT_PAGE_SIZE), 1),
    MAX_RECIPIENT_PAGE_SIZE,
  );
  const after = decodeRecipientCursor(opts.cursor);
  const q = opts.q?.trim().slice(0, 100);
  const teaching = [...AREA_ROLES.instructor];

  const rows = await db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(
      and(
        sql`${users.id} in (select l.user_id from (${linksSql(opts.userId)}) l)`,
        ne(users.id, opts.userId),
        opts.only ? eq(users.id, opts.only) : undefined,
        // canStartDirect: exactly one of the two has an instructor role.
        sql`(${inArray(users.role, teaching)}) <> (select me.role in ${teaching} from ${users} me
          where me.id = ${opts.userId})`,
        q
          ? sql`(${users.name} ilike ${likePattern(q)} or ${users.email} ilike ${likePattern(q)})`
          : undefined,
        after ? sql`(${users.name}, ${users.id}) > (${after.name}, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(pageSize + 1);

  const page = rows.slice(0, pageSize);
  const tail = page.at(-1);
  const nextCursor =
    rows.length > pageSize && tail ? encodeRecipientCursor({ name: tail.name, id: tail.id }) : null;
  if (page.length === 0) return { recipients: [], nextCursor };

  const ids = page.map((r) => r.id);
  const keys = new Map(ids.map((id) => [directKeyFor(opts.userId, id), id]));
  const [shared, direct] = await Promise.all([
    queryRows<{ user_id: string; id: string; name: string; code: string }>(
      db,
      sql`select l.user_id, c.id, c.name, c.code from (${linksSql(opts.userId, ids)}) l
        join ${classes} c on c.id = l.class_id
        order by c.name, c.id`,
    ),
    db
      .select({ id: messageThreads.id, directKey: messageThreads.directKey })
      .from(messageThreads)
      .innerJoin(
        messageParticipants,
        and(
          eq(messageParticipants.threadId, messageThreads.id),
          eq(messageParticipants.userId, opts.userId),
          isNull(messageParticipants.leftAt),
        ),
      )
      .where(and(eq(messageThreads.type, 'DIRECT'), inArray(messageThreads.directKey, [...keys.keys()]))),
  ]);

  const classesOf = new Map<string, TRecipient['classes']>();
  for (const c of shared) {
    const list = classesOf.get(c.user_id) ?? [];
    list.push({ id: c.id, name: c.name, code: c.code });
    classesOf.set(c.user_id, list);
  }
  const threadWith = new Map<string, string>();
  for (const th of direct) {
    const other = th.directKey ? keys.get(th.directKey) : undefined;
    if (other) threadWith.set(other, th.id);
  }
  return {
    recipients: page.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      classes: classesOf.get(r.id) ?? [],
      directThreadId: threadWith.get(r.id) ?? null,
    })),
    nextCursor,
  };
}
