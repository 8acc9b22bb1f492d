'use client';
// The conversation: messages grouped by day and by sender, older pages loaded by scrolling up
// (keeping the reader's place), a "new messages" pill instead of a jump when the reader is
// further up, delivery state (sending → sent → seen, or not sent with retry), and edit/delete
// of one's own messages.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { OutboxEntry } from '@/realtime/client';
import type { WireMessage } from '@/realtime/contract';
import { errorMessage, type WireParticipant } from './api';
import { MAX_MESSAGE_CHARS } from './Composer';
import { avatarTone, GROUP_GAP_MS, initials, useDateDisplay, useNow } from './display';
import { MessageContent } from './MessageContent';

/** Closer than this to the bottom counts as reading the newest messages. */
const BOTTOM_SLACK_PX = 80;

type Item = { kind: 'stored'; message: WireMessage } | { kind: 'pending'; entry: OutboxEntry };

interface Props {
  viewerId: string;
  threadType: 'DIRECT' | 'CLASS';
  messages: WireMessage[];
  pending: readonly OutboxEntry[];
  participants: WireParticipant[];
  canModerate: boolean;
  online: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  onLoadOlder(): void;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
  onEdit(messageId: string, content: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
  /** The reader is at the bottom (reading the newest messages) or not. */
  onAtBottomChange(atBottom: boolean): void;
}

export function MessageList(props: Props) {
  const { messages, pending, viewerId, hasOlder, loadingOlder, onLoadOlder, onAtBottomChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  /** The newest seq when the reader scrolled away from the bottom. */
  const [leftAtSeq, setLeftAtSeq] = useState(0);
  const now = useNow();
  const dates = useDateDisplay();

  const items: Item[] = [
    ...messages.map((message) => ({ kind: 'stored' as const, message })),
    ...pending.map((entry) => ({ kind: 'pending' as const, entry })),
  ];
  const firstId = messages[0]?.id ?? null;
  const lastKey = items.length ? itemKey(items[items.length - 1]!) : null;
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const lastIsMine = (() => {
    const last = items[items.length - 1];
    if (!last) return false;
    return last.kind === 'pending' || last.message.senderId === viewerId;
  })();

  // Keep the reader's place: after older messages are prepended, after new ones are appended, and
  // on the first render (at the bottom).
  const prev = useRef<{ firstId: string | null; lastKey: string | null; height: number; stick: boolean }>({
    firstId: null,
    lastKey: null,
    height: 0,
    stick: true,
  });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const p = prev.current;
    if (p.lastKey === null && lastKey !== null) {
      el.scrollTop = el.scrollHeight;
    } else if (firstId !== p.firstId && lastKey === p.lastKey) {
      el.scrollTop += el.scrollHeight - p.height;
    } else if (lastKey !== p.lastKey && (p.stick || lastIsMine)) {
      el.scrollTop = el.scrollHeight;
    }
    prev.current = { firstId, lastKey, height: el.scrollHeight, stick: p.stick };
  }, [firstId, lastKey, lastIsMine]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    prev.current.stick = bottom;
    prev.current.height = el.scrollHeight;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      if (!bottom) setLeftAtSeq(lastSeq);
      onAtBottomChange(bottom);
    }
  }

  // Scrolling near the top reads the page before. A new observer per page: it reports at once
  // whether the sentinel is still in view (a short page may need another).
  useEffect(() => {
    const el = topSentinel.current;
    const root = scroller.current;
    if (!el || !root || !hasOlder || loadingOlder) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onLoadOlder();
      },
      { root, rootMargin: '300px 0px 0px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasOlder, loadingOlder, onLoadOlder, firstId]);

  const unseen = atBottom ? 0 : messages.filter((m) => m.seq > leftAtSeq && m.senderId !== viewerId).length;

  function toBottom() {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }

  const myLast = [...messages].reverse().find((m) => m.senderId === viewerId && !m.deletedAt);

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Messages"
        data-testid="message-scroller"
        className="h-full overflow-y-auto overscroll-contain px-3 py-4 outline-offset-[-2px] sm:px-5"
      >
        <div ref={topSentinel} aria-hidden="true" className="h-px" />
        {hasOlder ? (
          <div className="mb-4 text-center">
            <button
              type="button"
              onClick={onLoadOlder}
              disabled={loadingOlder}
              className="rounded-full border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:text-slate-500"
            >
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
            {props.olderError ? (
              <p role="alert" className="mt-2 text-xs text-red-700">
                {props.olderError}
              </p>
            ) : null}
          </div>
        ) : messages.length > 0 ? (
          <p className="mb-4 text-center text-xs text-slate-500">
            This is the beginning of the conversation.
          </p>
        ) : null}

        <ol className="space-y-0.5" data-testid="message-list">
          {items.map((item, i) => {
            const before = items[i - 1];
            const at = createdAt(item);
            const newDay = !before || dates.dayKey(createdAt(before)) !== dates.dayKey(at);
            const grouped =
              !newDay &&
              before !== undefined &&
              senderOf(before, viewerId) === senderOf(item, viewerId) &&
              new Date(at).getTime() - new Date(createdAt(before)).getTime() < GROUP_GAP_MS &&
              !(before.kind === 'stored' && before.message.deletedAt);
            return (
              <li key={itemKey(item)} className={grouped ? '' : 'pt-3'}>
                {newDay ? (
                  <div className="my-3 flex items-center gap-3" role="presentation">
                    <span className="h-px flex-1 bg-slate-200" />
                    <span className="text-xs font-semibold text-slate-600">{dates.dayLabel(at, now)}</span>
                    <span className="h-px flex-1 bg-slate-200" />
                  </div>
                ) : null}
                {item.kind === 'stored' ? (
                  <StoredMessage
                    message={item.message}
                    grouped={grouped}
                    mine={item.message.senderId === viewerId}
                    canDelete={item.message.senderId === viewerId || props.canModerate}
                    status={
                      item.message.id === myLast?.id && !pending.length ? (
                        <SeenStatus
                          message={item.message}
                          viewerId={viewerId}
                          threadType={props.threadType}
                          participants={props.participants}
                        />
                      ) : null
                    }
                    onEdit={props.onEdit}
                    onDelete={props.onDelete}
                  />
                ) : (
                  <PendingMessage
                    entry={item.entry}
                    grouped={grouped}
                    online={props.online}
                    onRetry={props.onRetry}
                    onDiscard={props.onDiscard}
                  />
                )}
              </li>
            );
          })}
        </ol>
      </div>
      {unseen > 0 ? (
        <button
          type="button"
          onClick={toBottom}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-brand-700 px-4 py-1.5 text-sm font-semibold text-white shadow-lg hover:bg-brand-800"
        >
          {unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓
        </button>
      ) : null}
    </div>
  );
}

function itemKey(item: Item): string {
  return item.kind === 'stored' ? item.message.id : `pending:${item.entry.clientMessageId}`;
}

function createdAt(item: Item): string {
  return item.kind === 'stored' ? item.message.createdAt : new Date(item.entry.queuedAt).toISOString();
}

function senderOf(item: Item, viewerId: string): string {
  return item.kind === 'stored' ? item.message.senderId : viewerId;
}

function Avatar({ id, name }: { id: string; name: string }) {
  return (
    <span
      aria-hidden="true"
      className={`flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${avatarTone(id)}`}
    >
      {initials(name)}
    </span>
  );
}

function StoredMessage({
  message: m,
  grouped,
  mine,
  canDelete,
  status,
  onEdit,
  onDelete,
}: {
  message: WireMessage;
  grouped: boolean;
  mine: boolean;
  canDelete: boolean;
  status: React.ReactNode;
  onEdit(messageId: string, content: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
}) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deleted = m.deletedAt !== null || m.content === null;
  const dates = useDateDisplay();
  const time = dates.clock(m.createdAt);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode('view');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function editKeys(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      setMode('view');
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      const text = draft.trim();
      if (text && text.length <= MAX_MESSAGE_CHARS) void run(() => onEdit(m.id, text));
    }
  }

  return (
    <div
      data-message-id={m.id}
      data-seq={m.seq}
      className={`group flex gap-2 ${mine ? 'flex-row-reverse' : ''}`}
    >
      {mine ? null : grouped ? (
        <span className="w-8 shrink-0" />
      ) : (
        <Avatar id={m.senderId} name={m.senderName} />
      )}
      <div
        className={`flex min-w-0 max-w-[85%] flex-col sm:max-w-[75%] ${mine ? 'items-end' : 'items-start'}`}
      >
        {grouped ? null : (
          <p
            className={`mb-0.5 flex items-baseline gap-2 text-xs text-slate-600 ${mine ? 'flex-row-reverse' : ''}`}
          >
            <span className="font-semibold text-slate-800">{mine ? 'You' : m.senderName}</span>
            {!mine && m.senderRole !== 'STUDENT' ? <span className="text-brand-700">Instructor</span> : null}
            <time dateTime={m.createdAt} title={dates.full(m.createdAt)}>
              {time}
            </time>
          </p>
        )}
        {mode === 'edit' ? (
          <div className="w-full min-w-64">
            <label className="sr-only" htmlFor={`edit-${m.id}`}>
              Edit message
            </label>
            <textarea
              id={`edit-${m.id}`}
              autoFocus
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={editKeys}
              className="block max-h-60 min-h-16 w-full rounded-lg border border-brand-600 px-3 py-2 text-sm [field-sizing:content]"
            />
            <div className="mt-1 flex justify-end gap-2">
              <button
                type="button"
                onClick={() => setMode('view')}
                className="rounded-md px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
              >
                Cancel
              </button>
              <button
                type="button"
                disabled={busy || !draft.trim() || draft.trim().length > MAX_MESSAGE_CHARS}
                onClick={() => void run(() => onEdit(m.id, draft.trim()))}
                className="rounded-md bg-brand-700 px-2 py-1 text-xs font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {busy ? 'Saving…' : 'Save'}
              </button>
            </div>
          </div>
        ) : (
          <div
            className={`rounded-2xl px-3.5 py-2 text-sm ${
              deleted
                ? 'border border-dashed border-slate-300 bg-white text-slate-600 italic'
                : mine
                  ? 'rounded-tr-md bg-brand-700 text-white'
                  : 'rounded-tl-md bg-slate-100 text-slate-900'
            } ${grouped ? (mine ? 'rounded-tr-2xl' : 'rounded-tl-2xl') : ''}`}
          >
            {deleted ? (
              <p>This message was deleted.</p>
            ) : (
              <MessageContent text={m.content ?? ''} own={mine} />
            )}
            {grouped ? (
              <span className="sr-only">
                , {mine ? 'you' : m.senderName}, {time}
              </span>
            ) : null}
            {m.editedAt && !deleted ? (
              <span
                className={`mt-0.5 block text-[11px] ${mine ? 'text-brand-100' : 'text-slate-600'}`}
                title={dates.full(m.editedAt)}
              >
                edited
              </span>
            ) : null}
          </div>
        )}
        {mode === 'confirm-delete' ? (
          <div role="group" aria-label="Confirm delete" className="mt-1 flex items-center gap-2 text-xs">
            <span className="text-slate-700">Delete this message for everyone?</span>
            <button
              type="button"
              autoFocus
              disabled={busy}
              onClick={() => void run(() => onDelete(m.id))}
              className="rounded-md bg-red-700 px-2 py-1 font-semibold text-white hover:bg-red-800 disabled:opacity-60"
            >
              {busy ? 'Deleting…' : 'Delete'}
            </button>
            <button
              type="button"
              onClick={() => setMode('view')}
              className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100"
            >
              Cancel
            </button>
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        ) : null}
        {status}
      </div>
      {!deleted && mode === 'view' && (mine || canDelete) ? (
        <div className="flex shrink-0 items-start gap-1 self-center opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100">
          {mine ? (
            <button
              type="button"
              onClick={() => {
                setDraft(m.content ?? '');
                setMode('edit');
              }}
              aria-label={`Edit your message from ${time}`}
              className="rounded-md p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
                <path d="M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8l-9.2 9.2-4.1 1.1a.8.8 0 0 1-1-1l1.1-4.1 9.4-9Z" />
              </svg>
            </button>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              onClick={() => setMode('confirm-delete')}
              aria-label={
                mine ? `Delete your message from ${time}` : `Delete ${m.senderName}’s message from ${time}`
              }
              className="rounded-md p-1 text-slate-600 hover:bg-red-50 hover:text-red-700"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
                <path d="M8 2a1 1 0 0 0-1 1v1H4a1 1 0 0 0 0 2h12a1 1 0 1 0 0-2h-3V3a1 1 0 0 0-1-1H8Zm-3 6h10l-.8 9.1A1 1 0 0 1 13.2 18H6.8a1 1 0 0 1-1-.9L5 8Z" />
              </svg>
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function PendingMessage({
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
          <div
            role="alert"
            className="mt-1 flex flex-wrap items-center justify-end gap-2 text-xs text-red-800"
          >
            <span>Not sent: {entry.error?.message ?? 'the server refused it.'}</span>
            <button
              type="button"
              onClick={() => onRetry(entry.clientMessageId)}
              className="rounded-md border border-red-300 bg-white px-2 py-0.5 font-semibold text-red-800 hover:bg-red-50"
            >
              Retry
            </button>
            <button
              type="button"
              onClick={() => onDiscard(entry.clientMessageId)}
              className="rounded-md px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-100"
            >
              Discard
            </button>
          </div>
        ) : (
          <p className="mt-0.5 text-xs text-slate-600" data-testid="delivery-state">
            {online ? 'Sending…' : 'Waiting for connection…'}
          </p>
        )}
      </div>
    </div>
  );
}

function SeenStatus({
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
