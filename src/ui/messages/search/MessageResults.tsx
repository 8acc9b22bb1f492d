'use client';
// The "Messages" half of a search: each match with its conversation, author, time and snippet
// (matching words in <mark>, the rest as text), or the loading, empty and error states.
import { Fragment } from 'react';
import type { WireSearchResult } from '../api';
import { RetryAlert } from '../RetryAlert';
import { useNow } from '../display';
import { bandLabel } from './bands';
import { snippetParts } from './snippet';
import type { useMessageSearch } from './use-message-search';
import { LoadMoreItem } from '@/ui/LoadMoreItem';
import { useTimeFormat } from '@/ui/use-time-format';

export function MessageResults({
  q,
  search,
  onOpen,
}: {
  q: string;
  search: ReturnType<typeof useMessageSearch>;
  onOpen(result: WireSearchResult): void;
}) {
  return (
    <section aria-labelledby="search-messages-heading" className="border-t border-slate-200">
      <h3
        id="search-messages-heading"
        className="px-4 pt-3 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase"
      >
        Messages
      </h3>
      {search.status === 'loading' || search.status === 'idle' ? (
        <p role="status" className="px-4 py-3 text-sm text-slate-600">
          Searching messages…
        </p>
      ) : search.status === 'error' ? (
        <RetryAlert what="Messages could not be searched." error={search.error} onRetry={search.retry} />
      ) : search.results.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600">No messages match “{q}”, try fewer words.</p>
      ) : (
        <ul aria-label="Matching messages" className="divide-y divide-slate-100">
          {search.results.map((r, i) => (
            <ResultRow key={r.message.id} result={r} onOpen={onOpen} band={bandLabel(search.results, i)} />
          ))}
          {search.nextCursor ? (
            <LoadMoreItem onLoad={search.loadMore} loading={search.loadingMore} label="More messages" />
          ) : null}
        </ul>
      )}
    </section>
  );
}

function ResultRow({
  result,
  onOpen,
  band,
}: {
  result: WireSearchResult;
  onOpen(result: WireSearchResult): void;
  band: string | null;
}) {
  const { message, thread, snippet } = result;
  const dates = useTimeFormat();
  const when = dates.dayLabel(message.createdAt, useNow());
  return (
    <li>
      {band ? (
        <h4
          className="bg-slate-50 px-4 pt-2 pb-1 text-xs font-medium text-slate-600"
          data-testid="result-band"
        >
          {band}
        </h4>
      ) : null}
      <a
        href={`?thread=${encodeURIComponent(thread.id)}&message=${encodeURIComponent(message.id)}`}
        data-search-item=""
        data-testid="message-result"
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onOpen(result);
        }}
        className="block px-4 py-3 hover:bg-slate-50 focus:bg-brand-50"
      >
        <span className="flex items-baseline justify-between gap-2">
          <span className="truncate text-sm font-semibold text-slate-900">{thread.title}</span>
          <span className="shrink-0 text-xs text-slate-600" title={dates.full(message.createdAt)}>
            {when}
          </span>
        </span>
        <span className="block truncate text-xs text-slate-600">
          {message.senderName}
          {thread.class ? ` · ${thread.class.code}` : ''}
        </span>
        <span className="mt-1 line-clamp-2 block text-sm break-words text-slate-800" data-testid="snippet">
          {snippetParts(snippet).map((part, i) =>
            part.mark ? (
              <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
                {part.text}
              </mark>
            ) : (
              <Fragment key={i}>{part.text}</Fragment>
            ),
          )}
        </span>
      </a>
    </li>
  );
}
