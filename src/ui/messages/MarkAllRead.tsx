'use client';
// "Mark all as read", with Undo: the answer carries where each read pointer was, and Undo sends it
// back (a thread read or written to since keeps its newer pointer). The outcome is announced
// politely, and Undo stays offered for ten seconds. It is two items of its parent's two-column
// grid: the button at the end of the row, and the outcome on a line of its own under the row
// (empty, it takes no room), so a long outcome never pushes the button off the row's line.
import { useEffect, useState } from 'react';
import type { TMarkAllReadResult } from '@/messaging/mark-all-read';
import { errorMessage } from './api';
import { useMessaging } from './MessagingProvider';

const UNDO_MS = 10_000;

export function MarkAllRead({ onDone }: { onDone(): void }) {
  const { api } = useMessaging();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TMarkAllReadResult | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    if (!result) return;
    const t = setTimeout(() => setResult(null), UNDO_MS);
    return () => clearTimeout(t);
  }, [result]);

  async function run<T>(action: () => Promise<T>, after: (r: T) => void) {
    setBusy(true);
    try {
      after(await action());
      onDone();
    } catch (err) {
      setNote(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const markAll = () =>
    run(api.markAllRead, (r) => {
      setResult(r.threads > 0 ? r : null);
      setNote(
        r.threads === 0
          ? 'Nothing was unread.'
          : `Marked ${r.threads} conversation${r.threads === 1 ? '' : 's'} as read.`,
      );
    });
  const undo = (r: TMarkAllReadResult) =>
    run(
      () => api.undoMarkAllRead(r.undo),
      () => {
        setResult(null);
        setNote('Undone: those conversations are unread again.');
      },
    );

  return (
    <>
      {result ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void undo(result)}
          className="rounded-md border border-slate-300 px-2 py-1 text-xs font-semibold text-brand-800 hover:bg-slate-50 disabled:opacity-60"
        >
          Undo
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => void markAll()}
          // -mr-2: a link's look, so its text, not its padding, lines up with the edge above.
          className="-mr-2 rounded-md px-2 py-1 text-xs font-semibold text-brand-800 underline-offset-2 hover:underline disabled:opacity-60"
        >
          Mark all as read
        </button>
      )}
      <p
        role="status"
        className={`col-span-full text-right text-xs text-slate-700 ${note ? 'mt-1' : ''}`}
        data-testid="mark-all-read-status"
      >
        {note}
      </p>
    </>
  );
}
