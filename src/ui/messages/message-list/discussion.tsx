'use client';
// What a message offers in a conversation beyond edit and delete: reply (where the viewer may
// post), the fixed reactions with who gave them, the quote of the message a reply answers (a
// button that jumps to it), and the history of an edited message. The conversation provides the
// actions once, through context, rather than through every level of the list.
import { createContext, useContext, useEffect, useId, useRef, useState } from 'react';
import { REACTION_EMOJI } from '@/messaging/limits';
import type { TMessageHistory } from '@/messaging/message-history';
import type { WireMessage } from '@/realtime/contract';
import { errorMessage } from '../api';
import { useTimeFormat } from '@/ui/use-time-format';
import { useMessaging } from '../MessagingProvider';

export interface DiscussionActions {
  viewerId: string;
  /** Replies are offered where the viewer may post (CLASS threads). */
  canReply: boolean;
  reply(message: WireMessage): void;
  react(messageId: string, emoji: string, on: boolean): void;
  /** Scrolls to a message of the thread (loading older pages if need be). */
  jumpTo(messageId: string): void;
}

const DiscussionContext = createContext<DiscussionActions | null>(null);
export const DiscussionProvider = DiscussionContext.Provider;
export const useDiscussion = () => useContext(DiscussionContext);

/** The quote above a reply: who said what, as a button to the original. */
export function ReplyQuote({ message, mine }: { message: WireMessage; mine: boolean }) {
  const actions = useDiscussion();
  const quote = message.replyTo;
  if (!quote) return null;
  return (
    <button
      type="button"
      onClick={() => actions?.jumpTo(quote.id)}
      data-testid="reply-quote"
      className={`mb-1 block max-w-full truncate rounded-lg border-l-4 px-2 py-1 text-left text-xs ${
        mine ? 'border-brand-200 bg-brand-800 text-brand-50' : 'border-slate-400 bg-white text-slate-700'
      }`}
    >
      <span className="font-semibold">{quote.senderName}</span>: {quote.excerpt ?? 'a deleted message'}
      <span className="sr-only"> (go to the message this replies to)</span>
    </button>
  );
}

/** The reactions given, each a toggle for the viewer, with who reacted on hover. */
export function ReactionBar({ message }: { message: WireMessage }) {
  const actions = useDiscussion();
  if (!actions || message.reactions.length === 0) return null;
  const { viewerId } = actions;
  return (
    <ul className="mt-1 flex flex-wrap gap-1" aria-label="Reactions" data-testid="reactions">
      {message.reactions.map((r) => {
        const mine = r.users.some((u) => u.id === viewerId);
        const names = r.users.map((u) => (u.id === viewerId ? 'you' : u.name)).join(', ');
        return (
          <li key={r.emoji}>
            <button
              type="button"
              aria-pressed={mine}
              title={names}
              aria-label={`${r.emoji} ${r.count}: ${names}. ${mine ? 'Remove your reaction' : 'Add yours'}`}
              onClick={() => actions.react(message.id, r.emoji, !mine)}
              className={`rounded-full border px-2 py-0.5 text-xs tabular-nums ${
                mine
                  ? 'border-brand-600 bg-brand-50 text-brand-900'
                  : 'border-slate-300 bg-white text-slate-800'
              }`}
            >
              {r.emoji} {r.count}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Reply and React, beside a message (shown on hover or focus), or under it (compact). The emoji
 * open leftward, over the bubble beside them; under another's message, rightward, as leftward
 * would leave the screen. Opened under the newest message, they are scrolled into view.
 */
export function DiscussionButtons({
  message,
  mine,
  label,
}: {
  message: WireMessage;
  mine: boolean;
  label: string;
}) {
  const actions = useDiscussion();
  const [picking, setPicking] = useState(false);
  const menuId = useId();
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (picking) menu.current?.scrollIntoView({ block: 'nearest' });
  }, [picking]);
  if (!actions) return null;
  return (
    <div className="relative flex items-start gap-1">
      {actions.canReply ? (
        <button
          type="button"
          onClick={() => actions.reply(message)}
          aria-label={`Reply to ${label}`}
          className="rounded-md px-1.5 py-1 text-xs font-semibold text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          Reply
        </button>
      ) : null}
      <button
        type="button"
        aria-expanded={picking}
        aria-controls={menuId}
        aria-label={`React to ${label}`}
        onClick={() => setPicking(!picking)}
        className="rounded-md px-1.5 py-1 text-xs text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        ☺︎+
      </button>
      {picking ? (
        <div
          id={menuId}
          ref={menu}
          role="group"
          aria-label="Reactions"
          className={`absolute top-7 right-0 z-10 flex gap-1 rounded-full border border-slate-200 bg-white p-1 shadow-lg ${mine ? '' : 'compact:right-auto compact:left-0'}`}
        >
          {REACTION_EMOJI.map((emoji) => {
            const given = message.reactions.some(
              (r) => r.emoji === emoji && r.users.some((u) => u.id === actions.viewerId),
            );
            return (
              <button
                key={emoji}
                type="button"
                aria-label={`React with ${emoji}`}
                onClick={() => {
                  setPicking(false);
                  actions.react(message.id, emoji, !given);
                }}
                className="rounded-full px-1.5 py-0.5 text-base hover:bg-slate-100"
              >
                {emoji}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

/** "edited", as a button that shows the earlier versions with their times. */
export function EditedHistory({ message, mine }: { message: WireMessage; mine: boolean }) {
  const { api } = useMessaging();
  const dates = useTimeFormat();
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [history, setHistory] = useState<TMessageHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    dialog.current?.showModal();
    api
      .messageHistory(message.id, controller.signal)
      .then(setHistory)
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [api, open, message.id, message.version]);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        title={message.editedAt ? dates.full(message.editedAt) : undefined}
        className={`mt-0.5 block text-[11px] underline-offset-2 hover:underline ${mine ? 'text-brand-100' : 'text-slate-600'}`}
      >
        edited<span className="sr-only"> (show earlier versions)</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={headingId}
        onClose={() => setOpen(false)}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border-0 p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
      >
        <div className="p-4">
          <h2 id={headingId} className="text-base font-semibold">
            Edit history
          </h2>
          {error ? (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {error}
            </p>
          ) : !history ? (
            <p role="status" className="mt-2 text-sm text-slate-600">
              Loading…
            </p>
          ) : (
            <ol className="mt-3 max-h-80 space-y-3 overflow-y-auto" data-testid="edit-history">
              {history.versions.map((v, i) => (
                <li key={i} className="rounded-lg bg-slate-50 p-2 text-sm">
                  <p className="text-xs text-slate-600">
                    {v.replacedAt ? 'Earlier version, written ' : 'Current, written '}
                    <time dateTime={v.writtenAt}>{dates.full(v.writtenAt)}</time>
                  </p>
                  <p className="mt-1 break-words whitespace-pre-wrap">{v.content}</p>
                </li>
              ))}
            </ol>
          )}
          <div className="mt-4 text-right">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            >
              Close
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
