'use client';
// "Send later" under the composer: the text as typed goes at the chosen time (on the clock of the
// sender's time zone, the profile's or else the browser's) instead of now. It then waits in the Scheduled list, where it can be edited or
// cancelled until it goes.
import Link from 'next/link';
import { useId, useState } from 'react';
import { errorMessage } from '../api';
import { useMessaging } from '../MessagingProvider';
import { useTimeFormat } from '@/ui/use-time-format';

export function SendLater({
  threadId,
  text,
  onScheduled,
}: {
  threadId: string;
  text: string;
  onScheduled(): void;
}) {
  const { api, area } = useMessaging();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState('');
  const [pending, setPending] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const dates = useTimeFormat();
  const base = area === 'instructor' ? '/instructor/messages' : '/student/messages';

  async function schedule() {
    const sendAt = dates.fromInput(when);
    if (!text.trim()) return setNote({ ok: false, text: 'Write the message first.' });
    if (!sendAt) return setNote({ ok: false, text: 'Choose a date and time.' });
    setPending(true);
    try {
      const s = await api.schedule({ threadId, content: text.trim(), sendAt, timeZone: dates.zone });
      setNote({ ok: true, text: `Scheduled for ${dates.dateTimeWithZone(s.sendAt)}.` });
      setOpen(false);
      setWhen('');
      onScheduled();
    } catch (err) {
      setNote({ ok: false, text: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
      {open ? (
        <>
          <label htmlFor={id} className="font-medium text-slate-700">
            Send at
          </label>
          <input
            id={id}
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-xs"
          />
          <button
            type="button"
            disabled={pending}
            onClick={() => void schedule()}
            className="rounded-md bg-brand-700 px-2.5 py-1 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
          >
            Schedule
          </button>
          <button
            type="button"
            onClick={() => setOpen(false)}
            className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100"
          >
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="rounded-md px-1 py-0.5 font-semibold text-brand-800 hover:underline"
        >
          Send later…
        </button>
      )}
      <span role="status" className={note?.ok === false ? 'text-red-700' : 'text-slate-700'}>
        {note?.text}
        {note?.ok ? (
          <>
            {' '}
            <Link
              href={`${base}/scheduled`}
              className="font-semibold text-brand-800 underline underline-offset-2"
            >
              Scheduled messages
            </Link>
          </>
        ) : null}
      </span>
    </div>
  );
}
