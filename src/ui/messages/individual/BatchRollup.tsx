'use client';
// The roll-up of one individual send: who has read it and who has replied, with a link to each
// conversation. It moves live: the sender is in every one of the batch's threads, so a read
// receipt or a new message in one of them arrives on the socket and the roll-up is read again.
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { TBatchRollup } from '@/messaging/batch-rollup';
import { errorMessage } from '../api';
import { useMessaging } from '../MessagingProvider';

export function BatchRollup({ initial }: { initial: TBatchRollup }) {
  const { api, client } = useMessaging();
  const [rollup, setRollup] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const threads = useRef(new Set(initial.recipients.map((r) => r.threadId)));

  useEffect(() => {
    const c = client();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const refresh = () => {
      clearTimeout(timer);
      // A burst of reads becomes one request.
      timer = setTimeout(() => {
        api
          .batch(initial.id, controller.signal)
          .then((r) => {
            setRollup(r);
            setError(null);
          })
          .catch((err: unknown) => {
            if ((err as Error).name !== 'AbortError') setError(errorMessage(err));
          });
      }, 300);
    };
    const mine = (p: { threadId: string }) => threads.current.has(p.threadId) && refresh();
    const offs = [
      c.on('read-receipt', mine),
      c.on('new-message', mine),
      c.on('sync', ({ resumed }) => resumed && refresh()),
    ];
    return () => {
      controller.abort();
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [api, client, initial.id]);

  const { counts } = rollup;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Summary" data-testid="rollup-counts">
        {[
          ['Sent', counts.sent],
          ['Read', counts.read],
          ['Replied', counts.replied],
          ['Skipped', counts.skipped],
        ].map(([label, n]) => (
          <div key={label} className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd
              className="text-2xl font-semibold text-slate-900 tabular-nums"
              data-testid={`rollup-${String(label).toLowerCase()}`}
            >
              {n}
            </dd>
          </div>
        ))}
      </dl>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div
        role="region"
        aria-label="Recipients"
        tabIndex={0}
        className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Who has read and replied</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-4 py-2.5 font-semibold text-slate-700">
                Student
              </th>
              <th scope="col" className="px-4 py-2.5 font-semibold text-slate-700">
                Status
              </th>
              <th scope="col" className="px-4 py-2.5 font-semibold text-slate-700">
                Conversation
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {rollup.recipients.map((r) => (
              <tr key={r.recipientId} data-testid="rollup-row">
                <td className="px-4 py-2.5 font-medium text-slate-900">{r.name}</td>
                <td className="px-4 py-2.5 text-slate-700">
                  {r.status === 'skipped'
                    ? `Skipped: ${r.skipReason ?? ''}`
                    : r.status === 'pending'
                      ? 'Not sent yet'
                      : r.replied
                        ? 'Replied'
                        : r.read
                          ? 'Read'
                          : 'Not read yet'}
                </td>
                <td className="px-4 py-2.5">
                  {r.threadId ? (
                    <Link
                      href={`/instructor/messages?thread=${encodeURIComponent(r.threadId)}`}
                      className="font-medium whitespace-nowrap text-brand-800 underline underline-offset-2"
                    >
                      Open<span className="sr-only"> the conversation with {r.name}</span>
                    </Link>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
