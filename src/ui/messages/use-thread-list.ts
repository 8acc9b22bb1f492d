'use client';
// The viewer's thread list for a filter: the first page over REST, older pages on demand, and live
// `thread-updated` rows merged in and re-sorted. Rows are upserted by id, so an event that arrives
// before or after the page it is also in changes nothing. After a reconnect the first page is read
// again: thread-updated is not replayed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import type { ThreadFilter } from './api';
import { useMessaging } from './MessagingProvider';
import { usePagedList, type Landing } from './use-paged-list';

/** Newest activity first, then id: the API's order. */
export function compareThreads(a: WireThreadSummary, b: WireThreadSummary): number {
  if (a.activityAt !== b.activityAt) return a.activityAt < b.activityAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function byId(list: WireThreadSummary[]): Map<string, WireThreadSummary> {
  return new Map(list.map((t) => [t.id, t]));
}

/** Whether `a` shows a later state of the thread than `b`: both counters only ever grow. */
function newerRow(a: WireThreadSummary, b: WireThreadSummary): boolean {
  if (a.lastMessageSeq !== b.lastMessageSeq) return a.lastMessageSeq > b.lastMessageSeq;
  return a.lastReadSeq > b.lastReadSeq;
}

/** Pages are upserted by id and kept in the API's order. */
function mergePage(current: WireThreadSummary[], incoming: WireThreadSummary[], landing: Landing) {
  const merged = landing === 'more' ? byId(current) : new Map<string, WireThreadSummary>();
  for (const t of incoming) merged.set(t.id, t);
  // Rows that arrived live while a first page was read (or read again after a reconnect) win where
  // they are newer: a later message, or the same message with the reader's pointer further on (a
  // read that committed after the page's snapshot must not bring its unread count back).
  if (landing !== 'more') {
    for (const live of current) {
      const read = merged.get(live.id);
      if (read && newerRow(live, read)) merged.set(live.id, live);
      else if (!read && landing === 'first') merged.set(live.id, live);
    }
  }
  return [...merged.values()].sort(compareThreads);
}

/** A live row: in its place if it matches, out if it does not. */
function upsert(
  threads: WireThreadSummary[],
  nextCursor: string | null,
  thread: WireThreadSummary,
  matches: boolean,
) {
  const rest = threads.filter((t) => t.id !== thread.id);
  if (!matches) return rest.length === threads.length ? threads : rest;
  // A row older than the last loaded one belongs to a page not read yet.
  const last = threads[threads.length - 1];
  if (nextCursor && last && compareThreads(thread, last) > 0 && rest.length === threads.length)
    return threads;
  return [...rest, thread].sort(compareThreads);
}

/** Whether a row belongs in the list for this filter, decided on the client for live rows. */
export function matchesFilter(thread: WireThreadSummary, filter: ThreadFilter): boolean {
  if (Boolean(filter.archived) !== thread.archived) return false;
  if (filter.type && thread.type !== filter.type) return false;
  if (filter.classId && thread.classId !== filter.classId) return false;
  if (filter.unread && thread.unreadCount === 0) return false;
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const haystack = [
      thread.displayTitle,
      thread.title ?? '',
      thread.className ?? '',
      ...thread.participants.map((p) => p.name),
    ]
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

export function useThreadList(filter: ThreadFilter, opts: { limit?: number; keepId?: string | null } = {}) {
  const { api, client } = useMessaging();
  const { type, unread, archived, classId, q } = filter;
  const limit = opts.limit;
  const list = usePagedList<WireThreadSummary, ThreadFilter>({
    query: filter,
    fetchPage: (f, cursor, signal) =>
      api.listThreads({ ...f, limit, cursor }, signal).then((page) => ({
        items: page.threads,
        nextCursor: page.nextCursor,
      })),
    merge: mergePage,
  });
  const { load, update } = list;
  const [attempt, setAttempt] = useState(0);
  // The open thread stays listed even when it stops matching (read while filtering by unread).
  const keepId = useRef(opts.keepId ?? null);
  useEffect(() => {
    keepId.current = opts.keepId ?? null;
  }, [opts.keepId]);

  useEffect(() => {
    const c = client();
    const f: ThreadFilter = { type, unread, archived, classId, q };
    // Listen first, then read: a row that changes in between arrives as an event.
    const offs = [
      c.on('thread-updated', ({ threadId, thread }) => {
        if (!thread) update((threads) => threads.filter((t) => t.id !== threadId));
        else {
          const matches = matchesFilter(thread, f) || thread.id === keepId.current;
          update((threads, nextCursor) => upsert(threads, nextCursor, thread, matches));
        }
      }),
      c.on('sync', ({ resumed }) => {
        if (resumed) load(f, 'quiet');
      }),
      // Away longer than the change feed's window: the first page replaces every row shown.
      c.on('resync-required', () => load(f, 'quiet')),
    ];
    load(f);
    return () => {
      for (const off of offs) off();
    };
  }, [client, load, update, type, unread, archived, classId, q, limit, attempt]);

  // Trying again reads the first page afresh, through the same effect.
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    status: list.status,
    threads: list.items,
    nextCursor: list.nextCursor,
    loadingMore: list.loadingMore,
    error: list.error,
    loadMore: list.loadMore,
    retry,
  };
}
