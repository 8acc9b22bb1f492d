'use client';
// The open conversation: its header (title, who is in it, settings), the messages, who is
// typing, and the composer. Sends go through the realtime client's outbox, so a message written
// offline waits and is sent once on reconnect; everything else is REST. Reading the newest
// messages while the tab is visible marks the thread read.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { truncate } from '../format';
import { useConnectionStatus, useMessaging, useOutbox } from './MessagingProvider';
import { MessageList } from './message-list/MessageList';
import { Composer } from './composer/Composer';
import { ThreadSettings } from './thread-settings/ThreadSettings';
import { useThread, type RenderedThread, type TypingUser } from './use-thread';

function subscribeVisibility(cb: () => void) {
  document.addEventListener('visibilitychange', cb);
  return () => document.removeEventListener('visibilitychange', cb);
}

function usePageVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === 'visible',
    () => false,
  );
}

export function ChatPane({
  threadId,
  rendered,
  onBack,
}: {
  threadId: string;
  /** This thread as the server rendered it, if it did. */
  rendered: RenderedThread | null;
  onBack(): void;
}) {
  const { viewer, api, client } = useMessaging();
  const { state, loadOlder, applyMessage, applyReceipt, applySummary } = useThread(threadId, rendered);
  const status = useConnectionStatus();
  const outbox = useOutbox();
  const visible = usePageVisible();
  const [atBottom, setAtBottom] = useState(true);
  const [announcement, setAnnouncement] = useState('');

  const pending = outbox.filter(
    (e) => e.threadId === threadId && !state.messages.some((m) => m.clientMessageId === e.clientMessageId),
  );
  const me = state.participants.find((p) => p.id === viewer.id);
  const lastFromOthers = [...state.messages].reverse().find((m) => m.senderId !== viewer.id);
  const needsRead =
    state.status === 'ready' && !!lastFromOthers && !!me && lastFromOthers.seq > me.lastReadSeq;

  // Reading the newest messages with the page in view marks them read.
  useEffect(() => {
    if (!needsRead || !atBottom || !visible || !lastFromOthers) return;
    const c = client();
    const done = (r: { lastReadSeq: number; readAt: string }) => applyReceipt(r);
    const t = setTimeout(() => {
      const request =
        c.status === 'online'
          ? c.markRead(threadId, lastFromOthers.id)
          : api.markThreadRead(threadId, lastFromOthers.id);
      request.then(done).catch(() => {});
    }, 150);
    return () => clearTimeout(t);
  }, [needsRead, atBottom, visible, lastFromOthers, client, api, threadId, applyReceipt]);

  // New messages from others are read out politely by screen readers.
  useEffect(() => {
    return client().on('new-message', ({ threadId: id, message }) => {
      if (id !== threadId || message.senderId === viewer.id || !message.content) return;
      setAnnouncement(`New message from ${message.senderName}: ${truncate(message.content, 160)}`);
    });
  }, [client, threadId, viewer.id]);

  const send = useCallback(
    (content: string) => {
      // A refusal stays in the outbox as failed, shown with Retry and Discard.
      client()
        .send({ threadId, content })
        .catch(() => {});
    },
    [client, threadId],
  );
  const onEdit = useCallback(
    async (messageId: string, content: string) => applyMessage(await api.editMessage(messageId, content)),
    [api, applyMessage],
  );
  const onDelete = useCallback(
    async (messageId: string) => applyMessage(await api.deleteMessage(messageId)),
    [api, applyMessage],
  );

  const thread = state.thread;
  const title = thread?.displayTitle ?? 'Conversation';

  return (
    <section aria-labelledby="chat-title" className="flex h-full min-h-0 flex-col bg-white">
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 sm:px-4">
        <button
          type="button"
          onClick={onBack}
          className="-ml-1 inline-flex items-center gap-1 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 md:hidden"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            <path d="M12.7 4.3a1 1 0 0 1 0 1.4L8.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4l-5-5a1 1 0 0 1 0-1.4l5-5a1 1 0 0 1 1.4 0Z" />
          </svg>
          Back<span className="sr-only"> to conversations</span>
        </button>
        <div className="min-w-0 flex-1">
          <h2 id="chat-title" className="truncate text-base font-semibold text-slate-900">
            {title}
          </h2>
          {thread ? (
            <p className="truncate text-xs text-slate-600">
              {thread.type === 'DIRECT'
                ? 'Direct message'
                : `${thread.kind === 'announcement' ? 'Announcement' : 'Discussion'} · ${thread.className ?? 'Class'} · ${thread.participantCount} people`}
              {thread.muted ? ' · Muted' : ''}
              {thread.archived ? ' · Archived' : ''}
            </p>
          ) : null}
        </div>
        {thread && state.permissions ? (
          <ThreadSettings thread={thread} canRename={state.permissions.canRename} onChange={applySummary} />
        ) : null}
      </header>

      <div aria-live="polite" aria-atomic="true" className="sr-only">
        {announcement}
      </div>

      {state.status === 'loading' ? (
        <ChatSkeleton />
      ) : state.status === 'error' || state.status === 'gone' ? (
        <div className="flex flex-1 items-center justify-center p-6">
          <div role="alert" className="max-w-sm text-center text-sm text-slate-700">
            <p className="font-semibold text-slate-900">
              {state.status === 'gone' ? 'Conversation unavailable' : 'This conversation could not be loaded'}
            </p>
            <p className="mt-1">{state.error}</p>
            <button
              type="button"
              onClick={onBack}
              className="mt-3 rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Back to conversations
            </button>
          </div>
        </div>
      ) : (
        <>
          <MessageList
            viewerId={viewer.id}
            threadType={thread?.type ?? 'DIRECT'}
            messages={state.messages}
            pending={pending}
            participants={state.participants}
            canModerate={state.permissions?.canModerate ?? false}
            online={status === 'online'}
            hasOlder={state.hasOlder}
            loadingOlder={state.loadingOlder}
            olderError={state.olderError}
            onLoadOlder={loadOlder}
            onRetry={(id) => client().retry(id)}
            onDiscard={(id) => client().discard(id)}
            onEdit={onEdit}
            onDelete={onDelete}
            onAtBottomChange={setAtBottom}
          />
          <TypingIndicator typing={state.typing} />
          <Composer
            key={threadId}
            threadId={threadId}
            threadTitle={title}
            blockedReason={
              state.permissions?.canPost === false
                ? (state.permissions.postBlockedMessage ?? 'You cannot post here.')
                : null
            }
            onSend={send}
          />
        </>
      )}
    </section>
  );
}

function TypingIndicator({ typing }: { typing: TypingUser[] }) {
  const names = typing.map((t) => t.name.split(/\s+/)[0] ?? t.name);
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : `${names.length} people are typing…`;
  return (
    <p data-testid="typing-indicator" className="h-6 shrink-0 truncate px-4 text-xs text-slate-600 italic">
      {text}
    </p>
  );
}

function ChatSkeleton() {
  return (
    <div role="status" className="flex-1 animate-pulse space-y-4 p-4 motion-reduce:animate-none">
      <span className="sr-only">Loading messages…</span>
      {/* Widths are classes, not style attributes: the page's CSP refuses inline style attributes. */}
      {['w-[40%]', 'w-[65%]', 'w-[30%]', 'w-[55%]', 'w-[45%]'].map((width, i) => (
        <div key={i} aria-hidden="true" className={`flex ${i % 2 ? 'justify-end' : ''}`}>
          <div className={`h-10 rounded-2xl bg-slate-200 ${width}`} />
        </div>
      ))}
    </div>
  );
}
