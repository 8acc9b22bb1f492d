'use client';
// A message still in the outbox: sending (or waiting for the connection), or refused, with Retry
// and Discard.
import type { OutboxEntry } from '@/realtime/client';
import { MessageContent } from '../MessageContent';

export function PendingMessage({
  entry,
  grouped,
  online,
  onRetry,
  onDiscard,
}: {
  entry: OutboxEntry;
  grouped: boolean;
  online: boolean;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
}) {
  const failed = entry.state === 'failed';
  return (
    <div data-pending-id={entry.clientMessageId} className="flex flex-row-reverse gap-2">
      <div className="flex max-w-[85%] flex-col items-end sm:max-w-[75%]">
        {grouped ? null : <p className="mb-0.5 text-xs font-semibold text-slate-800">You</p>}
        <div
          className={`rounded-2xl px-3.5 py-2 text-sm ${
            failed ? 'border border-red-300 bg-red-50 text-red-950' : 'bg-brand-700/70 text-white'
          }`}
        >
          <MessageContent text={entry.content} own={!failed} />
        </div>
        {failed ? (
          <NotSent entry={entry} onRetry={onRetry} onDiscard={onDiscard} />
        ) : (
          <p className="mt-0.5 text-xs text-slate-600" data-testid="delivery-state">
            {!online ? 'Waiting for connection…' : entry.retryAt ? 'Queued: send limit reached' : 'Sending…'}
          </p>
        )}
      </div>
    </div>
  );
}

/** A refused message: why, and what can be done about it. */
function NotSent({
  entry,
  onRetry,
  onDiscard,
}: {
  entry: OutboxEntry;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
}) {
  const actions = [
    {
      label: 'Retry',
      run: onRetry,
      className:
        'rounded-md border border-red-300 bg-white px-2 py-0.5 font-semibold text-red-800 hover:bg-red-50',
    },
    {
      label: 'Discard',
      run: onDiscard,
      className: 'rounded-md px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-100',
    },
  ];
  return (
    <div role="alert" className="mt-1 flex flex-wrap items-center justify-end gap-2 text-xs text-red-800">
      <span>Not sent: {entry.error?.message ?? 'the server refused it.'}</span>
      {actions.map(({ label, run, className }) => (
        <button key={label} type="button" onClick={() => run(entry.clientMessageId)} className={className}>
          {label}
        </button>
      ))}
    </div>
  );
}
