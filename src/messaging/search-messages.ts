// Full-text search over every message the caller can see (the guide's /api/messages/search).
// Matching runs on messages.search_vector (English stems, then the `simple` words) through its GIN
// index; a term matches when either configuration finds it, an exclusion when either does. Only
// the caller's own threads are looked at (visibility.ts, the rule every reader shares), deleted
// messages never match, and an edit has already replaced the words that find a message. Order:
// relevance then recency (or recency alone), keyset-paginated, so a reader paging on while new
// matches arrive sees no repeats and no gaps. Snippets come back as text with highlight ranges,
// never HTML.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@/db/client';
import { parseInput, AppError } from '@/platform/errors';
import { likePattern } from '@/platform/sql';
import { rateLimitExceeded } from '@/platform/ops-events';
import type { RateLimitRule } from '@/platform/rate-limit';
import type { MessagingContext } from './context';
import { decodeSearchCursor, encodeSearchCursor, ZSearchCursor, type TSearchCursor } from './cursor';
import { messageRowView, ZMessage, ZThreadType, type TMessageRow } from './dto';
import { attachmentsJson } from './message-attachments';
import { domainError } from './errors';
import { validText } from './ids';
import {
  MAX_SEARCH_CHARS,
  MAX_SEARCH_PAGE_SIZE,
  SEARCH_AGE_BANDS_DAYS,
  SEARCH_AGES,
  SEARCH_PAGE_SIZE,
  SEARCH_RATE_LIMIT_PER_MINUTE,
  type ThreadType,
} from './limits';
import {
  hasCriteria,
  parseSearch,
  SEARCH_FILTERS,
  type TParsedSearch,
  type TSearchTerm,
} from './search-query';
import { visibleThreadIds } from './visibility';

export const SEARCH_RATE_LIMIT: RateLimitRule = { limit: SEARCH_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 };

export const ZSearchMessagesQuery = z.object({
  q: validText(
    z.string().max(MAX_SEARCH_CHARS, `A search can be at most ${MAX_SEARCH_CHARS} characters.`),
  ).optional(),
  from: SEARCH_FILTERS.from.optional(),
  in: SEARCH_FILTERS.in.optional(),
  /** The guide's name for `in`. */
  threadId: SEARCH_FILTERS.in.optional(),
  class: SEARCH_FILTERS.class.optional(),
  type: z.enum(['direct', 'class', 'DIRECT', 'CLASS']).optional(),
  before: SEARCH_FILTERS.before.optional(),
  after: SEARCH_FILTERS.after.optional(),
  has: z.enum(['attachment']).optional(),
  sort: z.enum(['relevance', 'recent']).default('relevance'),
  cursor: ZSearchCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE_SIZE).default(SEARCH_PAGE_SIZE),
});
export type TSearchMessagesQuery = z.input<typeof ZSearchMessagesQuery>;

export const ZSnippet = z
  .object({
    text: z.string().describe('Plain text: render it as text, never as HTML'),
    highlights: z
      .array(z.tuple([z.number().int(), z.number().int()]))
      .describe('[start, end) offsets into text (UTF-16 code units) of each matching word'),
  })
  .meta({ id: 'Snippet' });
export type TSnippet = z.infer<typeof ZSnippet>;

export const ZSearchResult = z
  .object({
    message: ZMessage,
    thread: z.object({
      id: z.string(),
      title: z.string().describe('As the caller sees it: the other person for DIRECT threads'),
      type: ZThreadType,
      class: z.object({ id: z.string(), name: z.string(), code: z.string() }).nullable(),
    }),
    snippet: ZSnippet,
    age: z
      .enum(SEARCH_AGES)
      .describe(
        'The age band the result belongs to: results come newest band first (the last 30 days, the rest of the last year, older), by relevance within each',
      ),
  })
  .meta({ id: 'SearchResult' });
export type TSearchResult = z.infer<typeof ZSearchResult>;

export const ZSearchPage = z
  .object({ results: z.array(ZSearchResult), nextCursor: z.string().nullable() })
  .meta({ id: 'SearchPage' });
export type TSearchPage = z.infer<typeof ZSearchPage>;

// ts_headline marks matches with characters no message keeps (they are stripped first), and the
// parser would drop anything that looks like an HTML tag, so `<` travels as a third one.
const MARK_START = '\uE000';
const MARK_END = '\uE001';
const LT = '\uE002';
const HEADLINE_OPTIONS = `StartSel="${MARK_START}", StopSel="${MARK_END}", MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;
const PLAIN_SNIPPET_CHARS = 200;

export async function searchMessages(
  ctx: MessagingContext,
  { userId, query }: { userId: string; query: TSearchMessagesQuery },
): Promise<TSearchPage> {
  const input = parseInput(ZSearchMessagesQuery, query);
  const search = parseSearch(input.q ?? '', {
    from: input.from,
    in: input.in ?? input.threadId,
    class: input.class,
    type: input.type,
    before: input.before,
    after: input.after,
    has: input.has,
  });
  if (input.in && input.threadId && input.in !== input.threadId) search.filters.in.push(input.threadId);
  if (!hasCriteria(search)) {
    throw new AppError('VALIDATION_FAILED', 'Type something to search for.', {
      fields: { q: ['Type a word to search for, or add a filter such as from: or in:.'] },
    });
  }
  const ranked = search.groups.length > 0 && input.sort === 'relevance';
  const sort = ranked ? 'relevance' : 'recent';
  const cursor = decodeSearchCursor(input.cursor);
  if (cursor && cursor.sort !== sort) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are missing or invalid.', {
      fields: { cursor: ['This cursor belongs to a search in another order.'] },
    });
  }
  await enforceSearchRate(ctx, userId);

  // The caller's threads first, on their own: passed to the search as one array constant, the
  // planner sees how many messages they hold (from the column's statistics) and chooses between
  // ANDing their index with the word's and simply checking each match's thread.
  const visible = await queryRows<{ thread_id: string }>(
    ctx.db,
    visibleThreadIds(userId, threadConditions(search)),
  );
  if (!visible.length) return { results: [], nextCursor: null };
  const threadIds = sql.param(visible.map((r) => r.thread_id));
  // from: likewise, resolved to ids first: the planner then knows it looks for one person's messages
  // and reads them by (thread, sender) instead of reading every match in the caller's threads.
  let senders: SQL | undefined;
  if (search.filters.from.length) {
    const found = await queryRows<{ id: string }>(ctx.db, senderIds(search.filters.from, userId));
    if (!found.length) return { results: [], nextCursor: null };
    senders = sql`${sql.param(found.map((r) => r.id))}`;
  }

  const positive = matchQuery(search);
  // Built from immutable functions of constants (the configurations are regconfig literals), so the
  // planner folds it to one tsquery before planning: evaluated once, and estimated from the column's
  // statistics (a rare word skips the thread bitmap, a common one ANDs with it).
  const tsq = positive ? sql`(${positive})` : undefined;
  const rank = tsq ? sql`ts_rank(m.search_vector, ${tsq})::float8` : sql`null::float8`;
  const key = ranked ? sql`(${rank}, m.created_at, m.id)` : sql`(m.created_at, m.id)`;
  const order = ranked ? sql`rank desc, created_at desc, id desc` : sql`created_at desc, id desc`;
  const headline = tsq
    ? sql`ts_headline('english'::regconfig, replace(translate(h.content, ${MARK_START + MARK_END + LT}, ''), '<', ${LT}),
        (${matchQuery(search, true)}), ${HEADLINE_OPTIONS})`
    : sql`left(h.content, ${PLAIN_SNIPPET_CHARS})`;

  // Newest band first, relevance (or recency) within each. A common word usually fills the page
  // (and the one more result that says whether another page exists) from its first band alone,
  // which reads only that band's matches; otherwise one more statement reads all the older bands.
  const anchor = cursor?.anchor ?? new Date();
  const bands = ageBands(anchor, search.filters);
  /**
   * Up to `limit` matches of bands first..last, band by band, after the cursor's place (which lies
   * in band `first`) when one is given; each row says its band.
   */
  const readBands = (first: number, last: number, from: TSearchCursor | null, limit: number) => {
    const since = bands[last]!.since;
    const until = bands[first]!.until;
    if (since && until && since >= until) return Promise.resolve([]);
    const after = from
      ? ranked
        ? sql`and ${key} < (${from.rank}::float8, ${from.at.toISOString()}::timestamptz, ${from.id})`
        : sql`and ${key} < (${from.at.toISOString()}::timestamptz, ${from.id})`
      : sql``;
    let band = sql`${last}::int`;
    for (let tier = last - 1; tier >= first; tier--) {
      band = sql`case when m.created_at >= ${bands[tier]!.since!.toISOString()}::timestamptz then ${tier}::int else ${band} end`;
    }
    return queryRows<TSearchRow & { band: number }>(
      ctx.db,
      sql`with hits as (
        select m.id, m.thread_id, m.sender_id, m.seq, m.client_message_id, m.created_at, m.edited_at,
          m.deleted_at, m.content, ${rank} as rank, ${band} as band
        from messages m
        where m.thread_id = any(${threadIds}::text[])
          and m.deleted_at is null
          ${matchCondition(search, tsq)}
          ${messageConditions(search, senders)}
          ${since ? sql`and m.created_at >= ${since.toISOString()}::timestamptz` : sql``}
          ${until ? sql`and m.created_at < ${until.toISOString()}::timestamptz` : sql``}
          ${after}
        order by band, ${order}
        limit ${limit}
      )
      select h.*, ${headline} as headline, u.name as sender_name, u.role as sender_role,
        ${attachmentsJson(sql`h.id`)} as attachments,
        t.type as thread_type, t.title as thread_title, c.id as class_id, c.name as class_name,
        c.code as class_code,
        (select ou.name from message_participants op join users ou on ou.id = op.user_id
          where op.thread_id = t.id and op.user_id <> ${userId}
          order by op.joined_at, ou.id limit 1) as other_name
      from hits h
      join users u on u.id = h.sender_id
      join message_threads t on t.id = h.thread_id
      left join classes c on c.id = t.class_id
      order by band, ${order}`,
    );
  };

  const start = cursor?.tier ?? 0;
  const rows = await readBands(start, start, cursor, input.limit + 1);
  if (rows.length <= input.limit && start + 1 < bands.length)
    rows.push(...(await readBands(start + 1, bands.length - 1, null, input.limit + 1 - rows.length)));

  const page = rows.slice(0, input.limit);
  const tail = page.at(-1);
  return {
    results: page.map(toResult),
    nextCursor:
      rows.length > input.limit && tail
        ? encodeSearchCursor({
            sort,
            rank: ranked ? Number(tail.rank) : null,
            at: tail.created_at,
            id: tail.id,
            tier: Number(tail.band),
            anchor,
          })
        : null,
  };
}

/** One age band of a search: messages written in [since, until); an open end is unbounded. */
interface TAgeBand {
  since: Date | null;
  until: Date | null;
}

/**
 * The age bands results come in, newest first, measured back from `anchor`: the last
 * SEARCH_AGE_BANDS_DAYS[0] days (and anything newer than the anchor), then up to the next bound,
 * and so on, then everything older. Relevance orders results within a band; a newer band comes
 * first. before:/after: narrow every band.
 */
export function ageBands(
  anchor: Date,
  filters: Pick<TParsedSearch['filters'], 'before' | 'after'>,
): TAgeBand[] {
  const bounds = SEARCH_AGE_BANDS_DAYS.map((days) => new Date(anchor.getTime() - days * 86_400_000));
  const bands: TAgeBand[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const since = maxDate(bounds[i] ?? null, filters.after ?? null);
    const until = minDate(i === 0 ? null : bounds[i - 1]!, filters.before ?? null);
    bands.push({ since, until });
  }
  return bands;
}

function maxDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function minDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/** Searches per user and minute (60), shared across processes when Redis is on. */
async function enforceSearchRate(ctx: MessagingContext, userId: string): Promise<void> {
  if (!ctx.rateLimiter) return;
  const decision = await ctx.rateLimiter.consume(`search:${userId}`, SEARCH_RATE_LIMIT);
  if (decision.allowed) return;
  rateLimitExceeded({ limit: 'search', userId });
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw domainError('SEARCH_RATE_LIMITED', { headers: { 'Retry-After': String(seconds) } });
}

/**
 * One term as a tsquery: what the English stems find, or the exact words. In the stored vector the
 * stems are marked (`~assign`, migration 0018), so the English part is marked the same way;
 * `forHeadline` leaves it plain, for ts_headline, which parses the text with the English
 * configuration itself.
 */
function termQuery(term: TSearchTerm, forHeadline = false): SQL {
  if (term.prefix) {
    // Only the exact words: a stem of half a word means nothing, and every English stem of a word
    // starts with the same letters as the word itself, in the simple part of the vector.
    return sql`to_tsquery('simple'::regconfig, quote_literal(${term.text}) || ':*')`;
  }
  // The syntax (quotes, -, or) is already parsed: each term is words in order. phraseto_tsquery keeps a
  // URL or a time whole, where websearch_to_tsquery would read its colon as syntax again. A quoted
  // phrase means these exact words, so it is looked up in the simple words only.
  if (term.phrase) return sql`phraseto_tsquery('simple'::regconfig, ${term.text})`;
  const english = sql`phraseto_tsquery('english'::regconfig, ${term.text})`;
  return sql`(${forHeadline ? english : sql`cm_english_query(${english})`} || phraseto_tsquery('simple'::regconfig, ${term.text}))`;
}

function anyOf(terms: TSearchTerm[], forHeadline = false): SQL {
  return sql`(${sql.join(
    terms.map((t) => termQuery(t, forHeadline)),
    sql` || `,
  )})`;
}

/** Every group (each any of its terms), minus every exclusion; null when nothing is looked for. */
function matchQuery(search: TParsedSearch, forHeadline = false): SQL | null {
  if (!search.groups.length) return null;
  const parts = [
    ...search.groups.map((g) => anyOf(g, forHeadline)),
    ...search.excluded.map((t) => sql`!!${termQuery(t, forHeadline)}`),
  ];
  return sql.join(parts, sql` && `);
}

function matchCondition(search: TParsedSearch, tsq: SQL | undefined): SQL {
  if (tsq) return sql`and m.search_vector @@ ${tsq}`;
  if (!search.excluded.length) return sql``;
  // Only exclusions, next to a filter: nothing for the index to find, so they are checked per row.
  return sql`and not (m.search_vector @@ ${anyOf(search.excluded)})`;
}

/** Filters on the thread (in:, class:, type:) narrow the caller's visible threads before any message is read. */
function threadConditions(search: TParsedSearch): SQL | undefined {
  const f = search.filters;
  const parts: SQL[] = [];
  if (f.in.length)
    parts.push(
      sql`t.id in (${sql.join(
        f.in.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  if (f.type) parts.push(sql`t.type = ${f.type}`);
  if (f.class.length) {
    parts.push(sql`t.class_id in (select cl.id from classes cl
      where lower(cl.code) in (${sql.join(
        f.class.map((code) => sql`${code.toLowerCase()}`),
        sql`, `,
      )}))`);
  }
  return parts.length ? sql.join(parts, sql` and `) : undefined;
}

function messageConditions(search: TParsedSearch, senders: SQL | undefined): SQL {
  const f = search.filters;
  const parts: SQL[] = [];
  if (senders) parts.push(sql`m.sender_id = any(${senders}::text[])`);
  // before: and after: are in each age band's range (ageBands), the one place dates are applied.
  if (f.hasAttachment)
    parts.push(sql`exists (select 1 from message_attachments a where a.message_id = m.id)`);
  return parts.length ? sql`and ${sql.join(parts, sql` and `)}` : sql``;
}

/**
 * The people `from:` names (any of them): me, an id, an email (or its part before the @), or whole
 * words of a name ("sam", "Sam Rivera"; not "Sa", nor "Student 1" for "Student 17").
 */
function senderIds(values: string[], userId: string): SQL {
  return sql.join(
    values.map((value) => {
      const v = value.toLowerCase();
      if (v === 'me') return sql`select ${userId}::text as id`;
      const escaped = likePattern(v).slice(1, -1); // the value with LIKE's wildcards escaped
      return sql`select fu.id from users fu where fu.id = ${value} or lower(fu.email) = ${v}
        or lower(fu.email) like ${escaped + '@%'} or (' ' || lower(fu.name) || ' ') like ${'% ' + escaped + ' %'}`;
    }),
    sql` union `,
  );
}

interface TSearchRow extends TMessageRow, Record<string, unknown> {
  rank: number | string | null;
  headline: string | null;
  thread_type: ThreadType;
  thread_title: string | null;
  class_id: string | null;
  class_name: string | null;
  class_code: string | null;
  other_name: string | null;
}

function toResult(r: TSearchRow & { band: number }): TSearchResult {
  const message = messageRowView(r);
  const cls =
    r.class_id && r.class_name && r.class_code
      ? { id: r.class_id, name: r.class_name, code: r.class_code }
      : null;
  return {
    message,
    thread: {
      id: r.thread_id,
      title:
        r.thread_type === 'DIRECT'
          ? (r.other_name ?? 'Direct message')
          : (r.thread_title ?? (cls ? `${cls.name} announcements` : 'Class thread')),
      type: r.thread_type,
      class: cls,
    },
    snippet: toSnippet(r.headline ?? ''),
    age: SEARCH_AGES[Number(r.band)] ?? 'older',
  };
}

/** ts_headline's marked text as plain text and [start, end) ranges. */
export function toSnippet(marked: string): TSnippet {
  let text = '';
  const highlights: Array<[number, number]> = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === MARK_START) start = text.length;
    else if (ch === MARK_END) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length]);
      start = -1;
    } else text += ch === LT ? '<' : ch;
  }
  return { text, highlights };
}
