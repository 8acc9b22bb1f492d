'use client';
// Under the viewer's newest message: "Sent" or "Seen" in a direct thread; in a class thread
// "Seen by n of m", which opens the list of who has read it.
import { useState } from 'react';
import type { WireMessage } from '@/realtime/contract';
import type { WireParticipant } from '../api';

export function SeenStatus({
  message,
  viewerId,
  threadType,
  participants,
}: {
  message: WireMessage;
  viewerId: string;
  threadType: 'DIRECT' | 'CLASS';
  participants: WireParticipant[];
}) {
  const [open, setOpen] = useState(false);
  const others = participants.filter((p) => p.id !== viewerId);
  const seen = others.filter((p) => p.lastReadSeq >= message.seq);
  if (threadType === 'DIRECT') {
    return (
      <p className="mt-0.5 text-xs text-slate-600" data-testid="delivery-state">
        {seen.length > 0 ? 'Seen' : 'Sent'}
      </p>
    );
  }
  return (
    <div className="mt-0.5 text-right text-xs text-slate-600">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="delivery-state"
        className="rounded px-1 underline-offset-2 hover:underline"
      >
        {`Seen by ${seen.length} of ${others.length}`}
      </button>
      {open ? (
        <div className="mt-1 max-h-48 w-56 overflow-y-auto rounded-lg border border-slate-200 bg-white p-2 text-left shadow-lg">
          {seen.length ? (
            <ul aria-label="Seen by" className="space-y-0.5">
              {seen.map((p) => (
                <li key={p.id} className="truncate text-slate-800">
                  {p.name}
                </li>
              ))}
            </ul>
          ) : (
            <p>No one has seen it yet.</p>
          )}
          {others.length > seen.length ? (
            <p className="mt-1 border-t border-slate-100 pt-1 text-slate-600">
              Not yet: {others.length - seen.length}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
