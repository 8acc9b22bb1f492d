'use client';
// A list read a page at a time with a keyset cursor: a first page (read here, or one the caller
// already holds, e.g. rendered on the server), further pages on demand, and live changes applied in
// place. Reading a first page aborts whatever is still in flight, so a late answer for an old query
// never lands over a newer one.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { errorMessage, isAbort } from './api';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedListState<T, Q> {
  status: 'loading' | 'ready' | 'error';
  /** The query the items (or the error) are for. */
  query: Q;
  items: T[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
}

/**
 * How a first page is read: 'reset' empties the list first, 'keep' leaves the old items on screen
 * while it loads, 'quiet' also leaves the status alone (a refresh nobody asked for).
 */
export type Reload = 'reset' | 'keep' | 'quiet';

/**
 * Where a page lands: 'first' in a list a reset emptied (it holds only what arrived live since),
 * 'again' over the items still shown, 'more' after them.
 */
export type Landing = 'first' | 'again' | 'more';

export type Merge<T> = (current: T[], incoming: T[], landing: Landing) => T[];

/** A first page replaces the list; a further one adds what is not there yet. */
export function appendNew<T extends { id: string }>(current: T[], incoming: T[], landing: Landing): T[] {
  if (landing !== 'more') return incoming;
  const have = new Set(current.map((item) => item.id));
  return [...current, ...incoming.filter((item) => !have.has(item.id))];
}

export type PagedListAction<T, Q> =
  | { type: 'load'; how: Reload }
  | { type: 'loadMore' }
  | {
      type: 'page';
      read?: { query: Q };
      page: Page<T>;
      landing: Landing;
      keepCursor: boolean;
      merge: Merge<T>;
    }
  | { type: 'error'; query: Q; error: string; more: boolean }
  | { type: 'update'; update: (items: T[], nextCursor: string | null) => T[] };

/** How the list changes; exported for its tests. */
export function pagedListReducer<T, Q>(
  state: PagedListState<T, Q>,
  action: PagedListAction<T, Q>,
): PagedListState<T, Q> {
  switch (action.type) {
    case 'load':
      if (action.how === 'quiet') return state;
      return {
        ...state,
        status: 'loading',
        items: action.how === 'reset' ? [] : state.items,
        nextCursor: action.how === 'reset' ? null : state.nextCursor,
        loadingMore: false,
        error: null,
      };
    case 'loadMore':
      return { ...state, loadingMore: true, error: null };
    case 'page':
      return {
        status: 'ready',
        query: action.read ? action.read.query : state.query,
        items: action.merge(state.items, action.page.items, action.landing),
        nextCursor: action.keepCursor && state.status === 'ready' ? state.nextCursor : action.page.nextCursor,
        // A page received from elsewhere leaves a further page still in flight as it is (it clears
        // the flag when it lands); clearing it here let the same page be asked for twice.
        loadingMore: action.read ? false : state.loadingMore,
        error: null,
      };
    case 'error':
      return {
        ...state,
        // A failed first read with nothing shown for it is an error state; otherwise the list stays.
        status: !action.more && state.status === 'loading' ? 'error' : state.status,
        query: action.more ? state.query : action.query,
        loadingMore: false,
        error: action.error,
      };
    case 'update': {
      const items = action.update(state.items, state.nextCursor);
      return items === state.items ? state : { ...state, items };
    }
  }
}

export interface PagedListOptions<T, Q> {
  /** The query the list starts with (and `initial` is for). */
  query: Q;
  /** Reads one page of `query`: the first when `cursor` is null. */
  fetchPage(query: Q, cursor: string | null, signal: AbortSignal): Promise<Page<T>>;
  merge?: Merge<T>;
  /** A first page the caller already has: the list starts ready, without a read. */
  initial?: Page<T>;
}

function start<T, Q>({ query, initial }: PagedListOptions<T, Q>): PagedListState<T, Q> {
  return {
    status: initial ? 'ready' : 'loading',
    query,
    items: initial?.items ?? [],
    nextCursor: initial?.nextCursor ?? null,
    loadingMore: false,
    error: null,
  };
}

export function usePagedList<T extends { id: string }, Q>(options: PagedListOptions<T, Q>) {
  const { fetchPage, merge = appendNew } = options;
  const [state, dispatch] = useReducer(pagedListReducer<T, Q>, options, start<T, Q>);
  const latest = useRef({ fetchPage, merge });
  useEffect(() => {
    latest.current = { fetchPage, merge };
  });
  const first = useRef<AbortController | null>(null);
  const more = useRef<AbortController | null>(null);

  useEffect(
    () => () => {
      first.current?.abort();
      more.current?.abort();
    },
    [],
  );

  const read = useCallback((q: Q, cursor: string | null, controller: AbortController, landing: Landing) => {
    latest.current
      .fetchPage(q, cursor, controller.signal)
      .then((page) =>
        dispatch({
          type: 'page',
          read: { query: q },
          page,
          landing,
          keepCursor: false,
          merge: latest.current.merge,
        }),
      )
      .catch((err: unknown) => {
        if (!isAbort(err)) dispatch({ type: 'error', query: q, error: errorMessage(err), more: !!cursor });
      });
  }, []);

  /** Reads the first page of `q`, dropping any read still in flight. */
  const load = useCallback(
    (q: Q, how: Reload = 'reset') => {
      first.current?.abort();
      more.current?.abort();
      const controller = new AbortController();
      first.current = controller;
      dispatch({ type: 'load', how });
      read(q, null, controller, how === 'reset' ? 'first' : 'again');
    },
    [read],
  );

  const { status, loadingMore, nextCursor, query: loaded } = state;
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore || status !== 'ready') return;
    const controller = new AbortController();
    more.current = controller;
    dispatch({ type: 'loadMore' });
    read(loaded, nextCursor, controller, 'more');
  }, [read, status, loadingMore, nextCursor, loaded]);

  /** A page read elsewhere (the thread's detail carries its newest messages). */
  const receive = useCallback(
    (page: Page<T>, opts: { keepCursor?: boolean } = {}) =>
      dispatch({
        type: 'page',
        page,
        landing: 'again',
        keepCursor: opts.keepCursor ?? false,
        merge: latest.current.merge,
      }),
    [],
  );

  /** A live change: `update` returns the new items, or the same array when nothing changed. */
  const update = useCallback(
    (fn: (items: T[], nextCursor: string | null) => T[]) => dispatch({ type: 'update', update: fn }),
    [],
  );

  return { ...state, load, loadMore, receive, update };
}
