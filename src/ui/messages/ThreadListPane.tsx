'use client';
// The left pane: search, filters and the live list of conversations. Rows are links to
// ?thread=<id>, so they work from the keyboard, open in a new tab, and survive a reload. A search
// shows the matching conversations, then the matching messages (?thread=<id>&message=<id> opens
// the conversation at one). `/` or Ctrl+K focuses the box, the arrow keys move through the
// results, Enter opens one and Escape clears the search.
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { ThreadRow } from '../ThreadRow';
import type { ThreadFilter, WireSearchResult } from './api';
import { useNow } from './display';
import { RetryAlert } from './RetryAlert';
import { MessageResults } from './search/MessageResults';
import { readRecentSearches, rememberSearch } from './search/snippet';
import { useMessageSearch } from './search/use-message-search';
import { useThreadList } from './use-thread-list';
import { MarkAllRead } from './MarkAllRead';
import { useMessaging } from './MessagingProvider';
import Link from 'next/link';
import { LoadMoreItem } from '@/ui/LoadMoreItem';

type FilterKey = 'all' | 'unread' | 'direct' | 'class' | 'archived';

const FILTERS: { key: FilterKey; label: string; filter: ThreadFilter; empty: string }[] = [
  { key: 'all', label: 'All', filter: {}, empty: 'No conversations yet.' },
  { key: 'unread', label: 'Unread', filter: { unread: true }, empty: 'You are all caught up.' },
  { key: 'direct', label: 'Direct', filter: { type: 'DIRECT' }, empty: 'No direct conversations yet.' },
  { key: 'class', label: 'Class', filter: { type: 'CLASS' }, empty: 'No class threads yet.' },
  { key: 'archived', label: 'Archived', filter: { archived: true }, empty: 'No archived conversations.' },
];

/** A class the viewer teaches or takes, for the list's class filter. */
export interface ClassOption {
  id: string;
  name: string;
  code: string;
}

export function ThreadListPane({
  viewerId,
  selectedId,
  onSelect,
  emptyHint,
  classes = [],
  className = '',
}: {
  viewerId: string;
  selectedId: string | null;
  onSelect(threadId: string, messageId?: string): void;
  emptyHint: string;
  classes?: readonly ClassOption[];
  className?: string;
}) {
  const pane = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [filterKey, setFilterKey] = useState<FilterKey>('all');
  const [classId, setClassId] = useState('');
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const active = FILTERS.find((f) => f.key === filterKey) ?? FILTERS[0]!;

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setQ(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  const list = useThreadList(
    { ...active.filter, classId: classId || undefined, q: q.slice(0, 100) || undefined },
    { keepId: selectedId },
  );
  const search = useMessageSearch(q);
  useFocusShortcut(input);

  const clear = () => {
    setQuery('');
    setQ('');
    input.current?.focus();
  };
  const openResult = (r: WireSearchResult) => {
    rememberSearch(viewerId, q);
    onSelect(r.thread.id, r.message.id);
  };
  // Up and down through the search box, the conversations and the messages found.
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape' && query) {
      e.preventDefault();
      clear();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = Array.from(pane.current?.querySelectorAll<HTMLElement>('[data-search-item]') ?? []);
    if (!items.length) return;
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    e.preventDefault();
    if (next < 0) input.current?.focus();
    else items[Math.min(next, items.length - 1)]?.focus();
  };

  return (
    <section
      ref={pane}
      aria-labelledby="conversations-heading"
      onKeyDown={onKeyDown}
      className={`flex min-h-0 flex-col bg-white ${className}`}
    >
      <PaneHeader
        input={input}
        viewerId={viewerId}
        query={query}
        onQuery={setQuery}
        onSubmit={() => rememberSearch(viewerId, query)}
        filterKey={filterKey}
        onFilter={setFilterKey}
        classes={classes}
        classId={classId}
        onClassId={setClassId}
        onMarkedAll={list.retry}
      />
      <div className="min-h-0 flex-1 overflow-y-auto">
        {q ? (
          <h3 className="px-4 pt-3 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">
            Conversations
          </h3>
        ) : null}
        <PaneBody
          list={list}
          q={q}
          active={active}
          emptyHint={emptyHint}
          viewerId={viewerId}
          selectedId={selectedId}
          onSelect={(threadId) => {
            if (q) rememberSearch(viewerId, q);
            onSelect(threadId);
          }}
        />
        {q ? <MessageResults q={q} search={search} onOpen={openResult} /> : null}
      </div>
    </section>
  );
}

/** `/` (outside a text field) or Ctrl+K / Cmd+K anywhere: to the search box. */
function useFocusShortcut(input: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      const slash = e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey;
      const ctrlK = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k';
      if (!slash && !ctrlK) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [input]);
}

function PaneHeader({
  input,
  viewerId,
  query,
  onQuery,
  onSubmit,
  filterKey,
  onFilter,
  classes,
  classId,
  onClassId,
  onMarkedAll,
}: {
  input: React.RefObject<HTMLInputElement | null>;
  viewerId: string;
  query: string;
  onQuery(q: string): void;
  onSubmit(): void;
  filterKey: FilterKey;
  onFilter(key: FilterKey): void;
  classes: readonly ClassOption[];
  classId: string;
  onClassId(id: string): void;
  onMarkedAll(): void;
}) {
  const searchId = useId();
  const classSelectId = useId();
  const recentId = useId();
  const [recent, setRecent] = useState<string[]>([]);
  const [focused, setFocused] = useState(false);
  const showRecent = focused && !query && recent.length > 0;
  return (
    <div className="space-y-3 border-b border-slate-200 p-3">
      <h2 id="conversations-heading" className="sr-only">
        Conversations
      </h2>
      <div>
        <label htmlFor={searchId} className="sr-only">
          Search conversations and messages
        </label>
        <input
          ref={input}
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onFocus={() => {
            setRecent(readRecentSearches(viewerId));
            setFocused(true);
          }}
          // Late enough for a click on a recent search to land first.
          onBlur={() => setTimeout(() => setFocused(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onSubmit();
          }}
          placeholder="Search messages and people (press /)"
          maxLength={500}
          aria-describedby={showRecent ? recentId : undefined}
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm placeholder:text-slate-500 focus:border-brand-600"
        />
        {showRecent ? (
          <div id={recentId} className="mt-2">
            <p className="text-xs font-semibold text-slate-600">Recent searches</p>
            <ul className="mt-1 flex flex-wrap gap-1.5">
              {recent.map((r) => (
                <li key={r}>
                  <button
                    type="button"
                    data-search-item=""
                    onClick={() => onQuery(r)}
                    className="rounded-full bg-slate-100 px-2.5 py-1 text-xs text-slate-800 hover:bg-slate-200"
                  >
                    {r}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      {/* One line of chips: they scroll sideways rather than leave one alone on a second line. */}
      <div role="group" aria-label="Filter conversations" className="-mx-1 flex gap-1 overflow-x-auto px-1">
        {FILTERS.map((f) => (
          <button
            key={f.key}
            type="button"
            aria-pressed={f.key === filterKey}
            onClick={() => onFilter(f.key)}
            className={`shrink-0 rounded-full px-2.5 py-1 text-xs font-semibold whitespace-nowrap ${
              f.key === filterKey
                ? 'bg-brand-700 text-white'
                : 'bg-slate-100 text-slate-700 hover:bg-slate-200'
            }`}
          >
            {f.label}
          </button>
        ))}
      </div>
      {/* One line, centred: the class filter (its select narrows to leave room) and Mark all as
          read at the end; what marking did goes on a line under both (MarkAllRead's second item). */}
      <div className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2">
        {classes.length > 0 ? (
          <div className="flex min-w-0 items-center gap-2">
            <label htmlFor={classSelectId} className="text-xs font-medium text-slate-700">
              Class
            </label>
            <select
              id={classSelectId}
              value={classId}
              onChange={(e) => onClassId(e.target.value)}
              className="min-w-0 max-w-44 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900"
            >
              <option value="">All classes</option>
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.code} · {c.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <span />
        )}
        <MarkAllRead onDone={onMarkedAll} />
      </div>
      <MessagingTools />
    </div>
  );
}

/** Links to the other messaging screens: what is scheduled, and (instructors) send individually. */
function MessagingTools() {
  const { area } = useMessaging();
  const base = area === 'instructor' ? '/instructor/messages' : '/student/messages';
  const link = 'font-semibold text-brand-800 underline-offset-2 hover:underline';
  return (
    <nav aria-label="Messaging tools" className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
      <Link href={`${base}/scheduled`} className={link}>
        Scheduled
      </Link>
      {area === 'instructor' ? (
        <Link href="/instructor/messages/individual" className={link}>
          Send individually
        </Link>
      ) : null}
    </nav>
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
    <div aria-busy={list.status === 'loading'}>
      {list.status === 'loading' ? (
        <ThreadListSkeleton />
      ) : list.status === 'error' ? (
        <RetryAlert what="Conversations could not be loaded." error={list.error} onRetry={list.retry} />
      ) : list.threads.length === 0 ? (
        <div className="px-4 py-10 text-center text-sm text-slate-600">
          <p className="font-medium text-slate-900">{q ? `No conversations match “${q}”.` : active.empty}</p>
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
            <LoadMoreItem
              itemRef={sentinel}
              onLoad={list.loadMore}
              loading={list.loadingMore}
              label="Load more conversations"
            />
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
