'use client';
// The messages matching the search box (already debounced by the caller): one request per query,
// the previous one aborted, more pages on demand.
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, isAbort, type WireSearchResult } from '../api';
import { useMessaging } from '../MessagingProvider';

export type SearchStatus = 'idle' | 'loading' | 'ready' | 'error';

export function useMessageSearch(q: string) {
  const { api } = useMessaging();
  const [attempt, setAttempt] = useState(0);
  // The answer to one query (and attempt); while q moves on, the state is loading.
  const [state, setState] = useState<{
    q: string;
    attempt: number;
    status: 'ready' | 'error';
    results: WireSearchResult[];
    nextCursor: string | null;
    error: string | null;
  }>({ q: '', attempt: 0, status: 'ready', results: [], nextCursor: null, error: null });
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (!q) return;
    const controller = new AbortController();
    api
      .searchMessages({ q }, controller.signal)
      .then((page) =>
        setState({
          q,
          attempt,
          status: 'ready',
          results: page.results,
          nextCursor: page.nextCursor,
          error: null,
        }),
      )
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setState({ q, attempt, status: 'error', results: [], nextCursor: null, error: errorMessage(err) });
      });
    return () => controller.abort();
  }, [api, q, attempt]);

  const current = state.q === q && state.attempt === attempt;
  const status: SearchStatus = !q ? 'idle' : current ? state.status : 'loading';

  const loadMore = useCallback(() => {
    if (!state.nextCursor || loadingMore) return;
    setLoadingMore(true);
    api
      .searchMessages({ q: state.q, cursor: state.nextCursor })
      .then((page) =>
        setState((s) =>
          s.q === state.q
            ? { ...s, results: [...s.results, ...page.results], nextCursor: page.nextCursor }
            : s,
        ),
      )
      .catch((err: unknown) => setState((s) => ({ ...s, error: errorMessage(err) })))
      .finally(() => setLoadingMore(false));
  }, [api, state.q, state.nextCursor, loadingMore]);

  return {
    status,
    results: current ? state.results : [],
    nextCursor: current ? state.nextCursor : null,
    error: current ? state.error : null,
    loadingMore,
    loadMore,
    retry: () => setAttempt((n) => n + 1),
  };
}
