'use client';
// The viewer's thread list for a filter: the first page over REST, older pages on demand, and live
// `thread-updated` rows merged in and re-sorted. Rows are upserted by id, so an event that arrives
// before or after the page it is also in changes nothing. After a reconnect the first page is read
// again: thread-updated is not replayed.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { errorMessage, isAbort, type ThreadFilter } from './api';
import { useMessaging } from './MessagingProvider';

export interface ThreadListState {
  status: 'loading' | 'ready' | 'error';
  threads: WireThreadSummary[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
}

type Action =
  | { type: 'loading' }
  | { type: 'page'; threads: WireThreadSummary[]; nextCursor: string | null; append: boolean }
  | { type: 'error'; error: string }
  | { type: 'loadingMore' }
  | { type: 'upsert'; thread: WireThreadSummary; matches: boolean }
  | { type: 'remove'; threadId: string };

const initial: ThreadListState = {
  status: 'loading',
  threads: [],
  nextCursor: null,
  loadingMore: false,
  error: null,
};

/** Newest activity first, then id: the API's order. */
export function compareThreads(a: WireThreadSummary, b: WireThreadSummary): number {
  if (a.activityAt !== b.activityAt) return a.activityAt < b.activityAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function byId(list: WireThreadSummary[]): Map<string, WireThreadSummary> {
  return new Map(list.map((t) => [t.id, t]));
}

function reducer(state: ThreadListState, action: Action): ThreadListState {
  switch (action.type) {
    case 'loading':
      return { ...initial };
    case 'page': {
      const merged = action.append ? byId(state.threads) : new Map<string, WireThreadSummary>();
      for (const t of action.threads) merged.set(t.id, t);
      // Rows that arrived live while the first page was read win where they are newer.
      if (!action.append && state.status === 'loading') {
        for (const live of state.threads) {
          const read = merged.get(live.id);
          if (!read || live.lastMessageSeq > read.lastMessageSeq) merged.set(live.id, live);
        }
      }
      return {
        ...state,
        status: 'ready',
        threads: [...merged.values()].sort(compareThreads),
        nextCursor: action.nextCursor,
        loadingMore: false,
        error: null,
      };
    }
    case 'error':
      return {
        ...state,
        status: state.status === 'ready' ? 'ready' : 'error',
        loadingMore: false,
        error: action.error,
      };
    case 'loadingMore':
      return { ...state, loadingMore: true };
    case 'upsert': {
      const rest = state.threads.filter((t) => t.id !== action.thread.id);
      if (!action.matches) return rest.length === state.threads.length ? state : { ...state, threads: rest };
      // A row older than the last loaded one belongs to a page not read yet.
      const last = state.threads[state.threads.length - 1];
      if (
        state.nextCursor &&
        last &&
        compareThreads(action.thread, last) > 0 &&
        rest.length === state.threads.length
      ) {
        return state;
      }
      return { ...state, threads: [...rest, action.thread].sort(compareThreads) };
    }
    case 'remove':
      return { ...state, threads: state.threads.filter((t) => t.id !== action.threadId) };
  }
}

/** Whether a row belongs in the list for this filter, decided on the client for live rows. */
export function matchesFilter(thread: WireThreadSummary, filter: ThreadFilter): boolean {
  if (Boolean(filter.archived) !== thread.archived) return false;
  if (filter.type && thread.type !== filter.type) return false;
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
  const [state, dispatch] = useReducer(reducer, initial);
  const [attempt, setAttempt] = useState(0);
  const { type, unread, archived, q } = filter;
  const limit = opts.limit;
  // The open thread stays listed even when it stops matching (read while filtering by unread).
  const keepId = useRef(opts.keepId ?? null);
  useEffect(() => {
    keepId.current = opts.keepId ?? null;
  }, [opts.keepId]);

  useEffect(() => {
    const c = client();
    const f: ThreadFilter = { type, unread, archived, q };
    let controller = new AbortController();
    const load = (quiet: boolean) => {
      controller.abort();
      controller = new AbortController();
      if (!quiet) dispatch({ type: 'loading' });
      api
        .listThreads({ ...f, limit }, controller.signal)
        .then((page) =>
          dispatch({ type: 'page', threads: page.threads, nextCursor: page.nextCursor, append: false }),
        )
        .catch((err: unknown) => {
          if (!isAbort(err)) dispatch({ type: 'error', error: errorMessage(err) });
        });
    };
    // Listen first, then read: a row that changes in between arrives as an event.
    const offs = [
      c.on('thread-updated', ({ threadId, thread }) => {
        if (!thread) dispatch({ type: 'remove', threadId });
        else
          dispatch({
            type: 'upsert',
            thread,
            matches: matchesFilter(thread, f) || thread.id === keepId.current,
          });
      }),
      c.on('sync', ({ resumed }) => {
        if (resumed) load(true);
      }),
    ];
    load(false);
    return () => {
      controller.abort();
      for (const off of offs) off();
    };
  }, [api, client, type, unread, archived, q, limit, attempt]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor || state.loadingMore) return;
    dispatch({ type: 'loadingMore' });
    api
      .listThreads({ type, unread, archived, q, limit, cursor: state.nextCursor })
      .then((page) =>
        dispatch({ type: 'page', threads: page.threads, nextCursor: page.nextCursor, append: true }),
      )
      .catch((err: unknown) => dispatch({ type: 'error', error: errorMessage(err) }));
  }, [api, state.nextCursor, state.loadingMore, type, unread, archived, q, limit]);

  // Trying again reads the first page afresh, through the same effect.
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { ...state, loadMore, retry };
}
