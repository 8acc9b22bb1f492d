'use client';
// The left pane: search, filters and the live list of conversations. Rows are links to
// ?thread=<id>, so they work from the keyboard, open in a new tab, and survive a reload.
import { useEffect, useId, useRef, useState } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { truncate } from '../format';
import { RelativeTime } from '../RelativeTime';
import type { ThreadFilter } from './api';
import { avatarTone, initials, useNow } from './display';
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
  const searchId = useId();
  const active = FILTERS.find((f) => f.key === filterKey) ?? FILTERS[0]!;

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setQ(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  const list = useThreadList({ ...active.filter, q: q || undefined }, { keepId: selectedId });
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
    <section
      aria-labelledby="conversations-heading"
      className={`flex min-h-0 flex-col bg-white ${className}`}
    >
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
            onChange={(e) => setQuery(e.target.value)}
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
              onClick={() => setFilterKey(f.key)}
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

      <div className="min-h-0 flex-1 overflow-y-auto" aria-busy={list.status === 'loading'}>
        {list.status === 'loading' ? (
          <ThreadListSkeleton />
        ) : list.status === 'error' ? (
          <div
            role="alert"
            className="m-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900"
          >
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
            {!q && filterKey === 'all' ? <p className="mt-1">{emptyHint}</p> : null}
          </div>
        ) : (
          <ul aria-label={`${active.label} conversations`} className="divide-y divide-slate-100">
            {list.threads.map((t) => (
              <ThreadRow
                key={t.id}
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
    </section>
  );
}

function ThreadRow({
  thread: t,
  viewerId,
  selected,
  now,
  onSelect,
}: {
  thread: WireThreadSummary;
  viewerId: string;
  selected: boolean;
  now: Date;
  onSelect(threadId: string): void;
}) {
  const last = t.lastMessage;
  const who = last ? (last.senderId === viewerId ? 'You' : last.senderName.split(/\s+/)[0]) : null;
  const unread = t.unreadCount > 0;
  const avatarName = t.type === 'DIRECT' ? t.displayTitle : (t.className ?? t.displayTitle);
  return (
    <li data-thread-id={t.id}>
      <a
        href={`?thread=${encodeURIComponent(t.id)}`}
        aria-current={selected ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onSelect(t.id);
        }}
        className={`flex gap-3 px-3 py-3 outline-offset-[-2px] ${
          selected ? 'bg-brand-50' : 'hover:bg-slate-50'
        }`}
      >
        <span
          aria-hidden="true"
          className={`flex size-10 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
            t.type === 'DIRECT' ? avatarTone(t.id) : 'rounded-lg bg-slate-800 text-white'
          }`}
        >
          {t.type === 'DIRECT' ? initials(avatarName) : (t.classCode?.slice(0, 3) ?? initials(avatarName))}
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span
              className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-semibold text-slate-900' : 'font-medium text-slate-800'}`}
            >
              {t.displayTitle}
            </span>
            <RelativeTime date={t.activityAt} now={now} className="shrink-0 text-xs text-slate-600" />
          </span>
          <span className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-600">
            {t.type === 'CLASS' ? (
              <span className="truncate">
                {t.kind === 'announcement' ? 'Announcement' : 'Discussion'}
                {t.classCode ? ` · ${t.classCode}` : null}
              </span>
            ) : (
              <span>Direct</span>
            )}
            {t.muted ? (
              <span className="inline-flex items-center gap-0.5" title="Muted">
                <MutedIcon />
                <span className="sr-only">, muted</span>
              </span>
            ) : null}
          </span>
          <span className="mt-1 flex items-center gap-2">
            <span
              className={`min-w-0 flex-1 truncate text-sm ${unread ? 'text-slate-900' : 'text-slate-600'}`}
            >
              {last ? (
                <>
                  {who ? <span className="font-medium">{who}: </span> : null}
                  {truncate(last.preview, 90)}
                </>
              ) : (
                <span className="italic">No messages yet</span>
              )}
            </span>
            {unread ? (
              <span
                className={`inline-flex min-w-5 shrink-0 items-center justify-center rounded-full px-1.5 py-0.5 text-xs font-semibold ${
                  t.muted ? 'bg-slate-200 text-slate-800' : 'bg-brand-700 text-white'
                }`}
              >
                {t.unreadCount > 99 ? '99+' : t.unreadCount}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
}

function MutedIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3.5" fill="currentColor">
      <path d="M10 2a5 5 0 0 0-5 5v2.6L3.3 12.3A1 1 0 0 0 4 14h12a1 1 0 0 0 .7-1.7L15 9.6V7a5 5 0 0 0-5-5Zm-2 13a2 2 0 1 0 4 0H8Z" />
      <path d="M2.3 2.3a1 1 0 0 1 1.4 0l14 14a1 1 0 0 1-1.4 1.4l-14-14a1 1 0 0 1 0-1.4Z" />
    </svg>
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
