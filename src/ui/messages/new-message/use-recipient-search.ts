'use client';
// Who the viewer may write to, searched as they type (debounced) and read a page at a time.
import { useEffect, useRef, useState } from 'react';
import type { TRecipient } from '@/messaging/list-recipients';
import type { MessagingApi } from '../api';
import { usePagedList } from '../use-paged-list';
import { RECIPIENT_PAGE_SIZE as PAGE_SIZE } from '@/messaging/limits';

const SEARCH_DEBOUNCE_MS = 250;

export function useRecipientSearch(api: MessagingApi) {
  const [query, setQuery] = useState('');
  const results = usePagedList<TRecipient, string>({
    query: '',
    fetchPage: (q, cursor, signal) =>
      api
        .recipients({ q: q || undefined, cursor, limit: PAGE_SIZE }, signal)
        .then((page) => ({ items: page.recipients, nextCursor: page.nextCursor })),
  });
  const { load } = results;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    load('', 'keep');
    return () => clearTimeout(timer.current);
  }, [load]);

  // The results of the last search stay on screen until the next one answers.
  const run = (q: string) => {
    clearTimeout(timer.current);
    load(q.trim(), 'keep');
  };

  return {
    /** What is typed in the box; `results.query` is what the results are for. */
    query,
    results,
    setQuery(value: string) {
      setQuery(value);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => run(value), SEARCH_DEBOUNCE_MS);
    },
    /** Search now (Enter in the box, or Try again). */
    now: () => run(query),
  };
}

export type RecipientSearch = ReturnType<typeof useRecipientSearch>;
