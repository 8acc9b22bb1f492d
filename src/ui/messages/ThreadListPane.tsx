'use client';
// The left pane: search, filters and the live list of conversations. Rows are links to
// ?thread=<id>, so they work from the keyboard, open in a new tab, and survive a reload.
import { useEffect, useId, useRef, useState } from 'react';
import { ThreadRow } from '../ThreadRow';
import type { ThreadFilter } from './api';
import { useNow } from './display';
import { useThreadList } from './use-thread-list';

type FilterKey = 'all' | 'unread' | 'direct' | 'class' | 'archived';

const FILTERS: { key: FilterKey; label: string; filter: ThreadFilter; empty: string }[] = [
  { key: 'all', label: 'All', filter: {}, empty: 'No conversations yet.' },
  { key: 'unread', label: 'Unread', filter: { unread: true }, empty: 'You are all caught up.' },
  { key: 'direct', label: 'Direct', filter: { type: 'DIRECT' }, empty: 'No direct conversations yet.' },
  { key: 'class', label: 'Class', filter: { type: 'CLASS' }, empty: 'No class threads yet.' },
  { key: 'archived', label: 'Archived', filter: { archived: true }, empty: 'No archived conversations.' },
];

export function ThreadListPane({
  viewerId,
  selectedId,
  onSelect,
  emptyHint,
  className = '',
}: {
  viewerId: string;
  selectedId: string | null;
  onSelect(threadId: string): void;
  emptyHint: string;
  className?: string;
}) {
  const [filterKey, setFilterKey] = useState<FilterKey>('all');
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const active = FILTERS.find((f) => f.key === filterKey) ?? FILTERS[0]!;

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setQ(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  const list = useThreadList({ ...active.filter, q: q || undefined }, { keepId: selectedId });

  return (
    <section
      aria-labelledby="conversations-heading"
      className={`flex min-h-0 flex-col bg-white ${className}`}
    >
      <PaneHeader query={query} onQuery={setQuery} filterKey={filterKey} onFilter={setFilterKey} />
      <PaneBody
        list={list}
        q={q}
        active={active}
        emptyHint={emptyHint}
        viewerId={viewerId}
        selectedId={selectedId}
        onSelect={onSelect}
      />
    </section>
  );
}

function PaneHeader({
  query,
  onQuery,
  filterKey,
  onFilter,
}: {
  query: string;
  onQuery(q: string): void;
  filterKey: FilterKey;
  onFilter(key: FilterKey): void;
}) {
  const searchId = useId();
  return (
    <div className="space-y-3 border-b border-slate-200 p-3">
      <h2 id="conversations-heading" className="sr-only">
        Conversations
      </h2>
      <div>
        <label htmlFor={searchId} className="sr-only">
          Search conversations
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          placeholder="Search by title, class or person"
          maxLength={100}
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm placeholder:text-slate-500 focus:border-brand-600"
        />
      </div>
      <div role="group" aria-label="Filter conversations" className="flex flex-wrap gap-1.5">
        {FILTERS.map((f) => (
          <button
            key={f.key}
            type="button"
            aria-pressed={f.key === filterKey}
            onClick={() => onFilter(f.key)}
            className={`rounded-full px-3 py-1 text-xs font-semibold ${
              f.key === filterKey
                ? 'bg-brand-700 text-white'
                : 'bg-slate-100 text-slate-700 hover:bg-slate-200'
            }`}
          >
            {f.label}
          </button>
        ))}
      </div>
    </div>
  );
}

function PaneBody({
  list,
  q,
  active,
  emptyHint,
  viewerId,
  selectedId,
  onSelect,
}: {
  list: ReturnType<typeof useThreadList>;
  q: string;
  active: (typeof FILTERS)[number];
  emptyHint: string;
  viewerId: string;
  selectedId: string | null;
  onSelect(threadId: string): void;
}) {
  const now = useNow();
  const sentinel = useRef<HTMLLIElement>(null);
  const { loadMore, nextCursor } = list;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !nextCursor) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [loadMore, nextCursor]);

  return (
    <div className="min-h-0 flex-1 overflow-y-auto" aria-busy={list.status === 'loading'}>
      {list.status === 'loading' ? (
        <ThreadListSkeleton />
      ) : list.status === 'error' ? (
        <div role="alert" className="m-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p>Conversations could not be loaded. {list.error}</p>
          <button
            type="button"
            onClick={list.retry}
            className="mt-2 rounded-md bg-red-700 px-3 py-1.5 text-xs font-semibold text-white hover:bg-red-800"
          >
            Try again
          </button>
        </div>
      ) : list.threads.length === 0 ? (
        <div className="px-4 py-10 text-center text-sm text-slate-600">
          <p className="font-medium text-slate-900">{q ? `Nothing matches “${q}”.` : active.empty}</p>
          {!q && active.key === 'all' ? <p className="mt-1">{emptyHint}</p> : null}
        </div>
      ) : (
        <ul aria-label={`${active.label} conversations`} className="divide-y divide-slate-100">
          {list.threads.map((t) => (
            <ThreadRow
              key={t.id}
              variant="pane"
              thread={t}
              viewerId={viewerId}
              selected={t.id === selectedId}
              now={now}
              onSelect={onSelect}
            />
          ))}
          {list.nextCursor ? (
            <li ref={sentinel} className="p-3 text-center">
              <button
                type="button"
                onClick={list.loadMore}
                disabled={list.loadingMore}
                className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline disabled:text-slate-500"
              >
                {list.loadingMore ? 'Loading…' : 'Load more conversations'}
              </button>
            </li>
          ) : null}
        </ul>
      )}
      {list.status === 'ready' && list.error ? (
        <p role="alert" className="m-3 text-sm text-red-700">
          {list.error}
        </p>
      ) : null}
    </div>
  );
}

function ThreadListSkeleton() {
  return (
    <div role="status" className="animate-pulse space-y-1 p-3 motion-reduce:animate-none">
      <span className="sr-only">Loading conversations…</span>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <div key={i} aria-hidden="true" className="flex gap-3 py-2">
          <div className="size-10 rounded-full bg-slate-200" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-1/2 rounded bg-slate-200" />
            <div className="h-3 w-4/5 rounded bg-slate-200" />
          </div>
        </div>
      ))}
    </div>
  );
}
