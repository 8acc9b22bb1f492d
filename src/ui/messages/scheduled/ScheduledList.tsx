'use client';
// The sender's scheduled messages, soonest first, each editable (text and time) and cancellable
// until it goes. Loading, empty and error states; times shown and typed in the viewer's time zone.
import { useCallback, useEffect, useId, useState } from 'react';
import type { TScheduled } from '@/messaging/scheduled-messages';
import { errorMessage } from '../api';
import { useMessaging } from '../MessagingProvider';
import { useTimeFormat } from '@/ui/use-time-format';

export function ScheduledList() {
  const { api } = useMessaging();
  const [items, setItems] = useState<TScheduled[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api
        .scheduled(signal)
        .then((r) => {
          setItems(r.scheduled);
          setError(null);
        })
        .catch((err: unknown) => {
          if ((err as Error).name !== 'AbortError') setError(errorMessage(err));
        }),
    [api],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  if (error)
    return (
      <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        {error}{' '}
        <button type="button" onClick={() => void load()} className="font-semibold underline">
          Try again
        </button>
      </div>
    );
  if (!items)
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading scheduled messages…
      </p>
    );
  if (items.length === 0)
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        Nothing scheduled. Use <strong>Send later…</strong> under a message box.
      </div>
    );
  return (
    <ul className="space-y-3" aria-label="Scheduled messages">
      {items.map((s) => (
        <ScheduledItem key={s.id} item={s} onChanged={() => void load()} />
      ))}
    </ul>
  );
}

function ScheduledItem({ item, onChanged }: { item: TScheduled; onChanged(): void }) {
  const { api } = useMessaging();
  const ids = useId();
  const dates = useTimeFormat();
  const goes = dates.dateTimeWithZone(item.sendAt);
  const [editing, setEditing] = useState(false);
  const [content, setContent] = useState(item.content);
  const [when, setWhen] = useState(() => dates.toInput(item.sendAt));
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="scheduled-item">
      <p className="text-xs font-medium text-slate-600">
        {item.title ? `New ${item.kind}: ${item.title} · ` : ''}
        {item.status === 'sending' ? 'Sending now' : `Goes ${goes}`}
      </p>
      {editing ? (
        <div className="mt-2 space-y-2">
          <label htmlFor={`${ids}-text`} className="block text-xs font-medium text-slate-700">
            Message
          </label>
          <textarea
            id={`${ids}-text`}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            rows={3}
            className="block w-full rounded-lg border border-slate-400 px-3 py-2 text-sm"
          />
          <label htmlFor={`${ids}-when`} className="block text-xs font-medium text-slate-700">
            Send at
          </label>
          <input
            id={`${ids}-when`}
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() =>
                void run(() =>
                  api.editScheduled(item.id, {
                    content: content.trim(),
                    sendAt: dates.fromInput(when) ?? item.sendAt,
                    timeZone: dates.zone,
                  }),
                )
              }
              className="rounded-lg bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
            >
              Save
            </button>
            <button
              type="button"
              onClick={() => setEditing(false)}
              className="rounded-lg px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <p className="mt-1 text-sm break-words whitespace-pre-wrap text-slate-900">{item.content}</p>
      )}
      {error ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {error}
        </p>
      ) : null}
      {!editing && item.status === 'scheduled' ? (
        <div className="mt-2 flex gap-2">
          <button
            type="button"
            onClick={() => setEditing(true)}
            className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-semibold text-slate-800 hover:bg-slate-50"
          >
            Edit
            <span className="sr-only"> the message scheduled {goes}</span>
          </button>
          <button
            type="button"
            onClick={() => void run(() => api.cancelScheduled(item.id))}
            className="rounded-md px-2.5 py-1 text-xs font-semibold text-red-800 hover:bg-red-50"
          >
            Cancel sending
            <span className="sr-only"> the message scheduled {goes}</span>
          </button>
        </div>
      ) : null}
    </li>
  );
}
