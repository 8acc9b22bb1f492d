'use client';
// On an announcement, for its instructors: "Remind the 16 who haven't read this". The reminder is
// sent individually (each student in their own conversation, with a link to the announcement) and
// recorded on the announcement; its roll-up shows who has read it since.
import Link from 'next/link';
import { useId, useState } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { newClientMessageId } from '@/realtime/client';
import { errorMessage, type WireParticipant } from './api';
import { useMessaging } from './MessagingProvider';

export function NudgeBar({
  thread,
  participants,
}: {
  thread: WireThreadSummary;
  participants: WireParticipant[];
}) {
  const { api, area } = useMessaging();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [content, setContent] = useState(`Reminder: please read the announcement “${thread.displayTitle}”.`);
  const [key] = useState(() => newClientMessageId());
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ batchId: string; count: number } | null>(null);

  if (area !== 'instructor' || thread.kind !== 'announcement') return null;
  const behind = participants.filter((p) => p.role === 'STUDENT' && p.lastReadSeq < thread.lastMessageSeq);

  async function send() {
    setPending(true);
    setError(null);
    try {
      const batch = await api.sendIndividually({
        content: content.trim(),
        clientBatchId: key,
        nonReadersOf: thread.id,
      });
      setSent({ batchId: batch.id, count: batch.counts.sent });
      setOpen(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="border-b border-slate-200 bg-amber-50/60 px-4 py-2 text-sm" data-testid="nudge-bar">
      <div role="status">
        {sent ? (
          <p className="text-slate-800">
            Reminded {sent.count} student{sent.count === 1 ? '' : 's'}.{' '}
            <Link
              href={`/instructor/messages/individual/${encodeURIComponent(sent.batchId)}`}
              className="font-semibold text-brand-800 underline underline-offset-2"
            >
              See who has read it
            </Link>
          </p>
        ) : null}
      </div>
      {!sent && behind.length > 0 && !open ? (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="rounded-md border border-amber-300 bg-white px-2.5 py-1 text-xs font-semibold text-amber-950 hover:bg-amber-50"
        >
          Remind the {behind.length} who haven’t read this
        </button>
      ) : null}
      {open ? (
        <div className="space-y-2">
          <label htmlFor={id} className="block text-xs font-medium text-slate-800">
            Reminder to the {behind.length} who haven’t read it (each in their own conversation, with a link)
          </label>
          <textarea
            id={id}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            rows={2}
            className="block w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900"
          />
          {error ? (
            <p role="alert" className="text-xs text-red-700">
              {error}
            </p>
          ) : null}
          <div className="flex gap-2">
            <button
              type="button"
              disabled={pending || !content.trim()}
              onClick={() => void send()}
              className="rounded-md bg-brand-700 px-3 py-1 text-xs font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
            >
              {pending ? 'Sending…' : 'Send reminders'}
            </button>
            <button
              type="button"
              onClick={() => setOpen(false)}
              className="rounded-md px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
