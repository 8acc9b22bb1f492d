// What a message carries beyond its text and files, read with every message shape (REST pages, the
// change feed behind live events and resume, an edit's answer) through one SQL expression, as
// attachments are: the message it replies to (a short quote), its reactions with who gave them,
// and whom it @mentions. One expression for every reader keeps each copy of a message whole, so
// a live event never wipes reactions a page had shown.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';

import { REACTION_EMOJI } from './limits';

export { REACTION_EMOJI };
export type TReactionEmoji = (typeof REACTION_EMOJI)[number];

/** How long a reply's quote of its original is. */
export const QUOTE_CHARS = 200;

export const ZReaction = z
  .object({
    emoji: z.enum(REACTION_EMOJI),
    count: z.number().int(),
    users: z.array(z.object({ id: z.string(), name: z.string() })).describe('Who reacted, first first'),
  })
  .meta({ id: 'Reaction' });
export type TReaction = z.infer<typeof ZReaction>;

export const ZReplyQuote = z
  .object({
    id: z.string(),
    senderName: z.string(),
    excerpt: z
      .string()
      .nullable()
      .describe(`The original's first ${QUOTE_CHARS} characters; null once deleted`),
  })
  .meta({ id: 'ReplyQuote' });
export type TReplyQuote = z.infer<typeof ZReplyQuote>;

export interface TMessageExtras {
  replyTo: TReplyQuote | null;
  reactions: TReaction[];
  mentions: string[];
}

export const NO_EXTRAS: TMessageExtras = { replyTo: null, reactions: [], mentions: [] };

/** The extras of the message whose id is `messageId` (reply pointer `replyToId`), as one json value. */
export function extrasJson(messageId: SQL, replyToId: SQL): SQL<unknown> {
  return sql`json_build_object(
    'reactions', coalesce((select json_agg(json_build_object('emoji', xr.emoji, 'id', xr.user_id, 'name', xu.name)
        order by xr.created_at, xr.user_id)
      from message_reactions xr join users xu on xu.id = xr.user_id where xr.message_id = ${messageId}), '[]'::json),
    'replyTo', (select json_build_object('id', xq.id, 'senderName', xqu.name,
        'excerpt', case when xq.deleted_at is null then left(xq.content, ${QUOTE_CHARS}) end)
      from messages xq join users xqu on xqu.id = xq.sender_id where xq.id = ${replyToId}),
    'mentions', coalesce((select json_agg(xm.user_id order by xm.user_id)
      from message_mentions xm where xm.message_id = ${messageId}), '[]'::json))`;
}

/** The extras column as drivers hand it back (parsed json, or its text). */
export function parseExtras(raw: unknown): TMessageExtras {
  if (raw === null || raw === undefined) return NO_EXTRAS;
  const v = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    reactions?: Array<{ emoji: TReactionEmoji; id: string; name: string }>;
    replyTo?: TReplyQuote | null;
    mentions?: string[];
  };
  const byEmoji = new Map<TReactionEmoji, TReaction>();
  for (const r of v.reactions ?? []) {
    const entry = byEmoji.get(r.emoji) ?? { emoji: r.emoji, count: 0, users: [] };
    entry.count += 1;
    entry.users.push({ id: r.id, name: r.name });
    byEmoji.set(r.emoji, entry);
  }
  return {
    replyTo: v.replyTo ?? null,
    reactions: REACTION_EMOJI.flatMap((e) => byEmoji.get(e) ?? []),
    mentions: v.mentions ?? [],
  };
}

/** One message's extras (for answers built from a message row rather than a query of messages). */
export async function readExtras(
  db: Db,
  message: { id: string; replyToId: string | null },
): Promise<TMessageExtras> {
  const [row] = await queryRows<{ extras: unknown }>(
    db,
    sql`select ${extrasJson(sql`${message.id}::text`, sql`${message.replyToId}::text`)} as extras`,
  );
  return parseExtras(row?.extras);
}
