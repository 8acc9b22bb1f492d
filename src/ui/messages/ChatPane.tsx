'use client';
// The open conversation: its header (title, who is in it, settings), the messages, who is
// typing, and the composer. Sends go through the realtime client's outbox, so a message written
// offline waits and is sent once on reconnect; everything else is REST. Reading the newest
// messages while the tab is visible marks the thread read.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WireMessage } from '@/realtime/contract';
import { truncate } from '../format';
import { errorMessage, type WirePermissions } from './api';
import { ChatHeader } from './ChatHeader';
import { Composer, type SendExtras } from './composer/Composer';
import { useUploads } from './composer/use-uploads';
import { MessageList } from './message-list/MessageList';
import { DiscussionProvider, type DiscussionActions } from './message-list/discussion';
import { NudgeBar } from './NudgeBar';
import { useConnectionStatus, useMessaging, useOutbox } from './MessagingProvider';
import { useMarkRead } from './use-mark-read';
import { useFocusMessage } from './use-focus-message';
import { useThread, type RenderedThread, type TypingUser } from './use-thread';

export function ChatPane({
  threadId,
  focusId = null,
  rendered,
  onBack,
}: {
  threadId: string;
  /** A message to open the conversation at (a search result). */
  focusId?: string | null;
  /** This thread as the server rendered it, if it did. */
  rendered: RenderedThread | null;
  onBack(): void;
}) {
  const { viewer, client, area } = useMessaging();
  const { state, loadOlder, applyMessage, applyReceipt, applySummary } = useThread(threadId, rendered);
  const status = useConnectionStatus();
  const [atBottom, setAtBottom] = useState(true);
  useMarkRead({
    threadId,
    ready: state.status === 'ready',
    messages: state.messages,
    participants: state.participants,
    atBottom,
    applyReceipt,
  });
  useFocusMessage({
    focusId,
    ready: state.status === 'ready',
    messages: state.messages,
    hasOlder: state.hasOlder,
    loadingOlder: state.loadingOlder,
    olderError: state.olderError,
    loadOlder,
  });
  const announcement = useNewMessageAnnouncement(threadId);
  const { send, onEdit, onDelete } = useMessageActions(threadId, applyMessage);
  const [replyTo, setReplyTo] = useState<WireMessage | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const pending = usePending(threadId, state.messages);
  const offline = status === 'offline';
  const uploads = useUploads(area, !offline);
  const canPost = state.status === 'ready' && !blockedReason(state.permissions);
  const thread = state.thread;
  const title = thread?.displayTitle ?? 'Conversation';
  const isClass = thread?.type === 'CLASS';
  const discussion = useDiscussionActions({
    threadId,
    canReply: canPost && isClass,
    onReply: setReplyTo,
    applyMessage,
    onError: setActionError,
  });
  const mentionable = isClass
    ? state.participants.filter((p) => p.id !== viewer.id).map(({ id, name }) => ({ id, name }))
    : [];

  return (
    <section
      aria-labelledby="chat-title"
      className="flex h-full min-h-0 flex-col bg-white"
      data-testid="conversation"
      onDragOver={(e) => {
        if (canPost && e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        if (!canPost || e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        uploads.add(Array.from(e.dataTransfer.files));
      }}
    >
      <ChatHeader
        thread={thread}
        title={title}
        permissions={state.permissions}
        onBack={onBack}
        onChange={applySummary}
      />

      {thread && state.status === 'ready' ? (
        <NudgeBar key={thread.lastMessageSeq} thread={thread} participants={state.participants} />
      ) : null}

      <div aria-live="polite" aria-atomic="true" className="sr-only">
        {announcement}
      </div>

      {state.status === 'loading' ? (
        <ChatSkeleton />
      ) : state.status === 'error' || state.status === 'gone' ? (
        <ChatUnavailable gone={state.status === 'gone'} error={state.error} onBack={onBack} />
      ) : (
        <>
          <DiscussionProvider value={discussion}>
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
              anchorNonce={rendered?.scriptNonce}
            />
          </DiscussionProvider>
          {actionError ? (
            <p role="alert" className="px-4 text-xs text-red-700">
              {actionError}
            </p>
          ) : null}
          <TypingIndicator typing={state.typing} />
          <Composer
            key={threadId}
            threadId={threadId}
            threadTitle={title}
            blockedReason={blockedReason(state.permissions)}
            uploads={uploads}
            offline={offline}
            onSend={(content, files, extras) => {
              send(content, files, extras);
              setReplyTo(null);
            }}
            replyTo={replyTo}
            onCancelReply={() => setReplyTo(null)}
            mentionable={mentionable}
          />
        </>
      )}
    </section>
  );
}

/** What the outbox holds for this thread and the thread does not show yet. */
function usePending(threadId: string, messages: WireMessage[]) {
  return useOutbox().filter(
    (e) => e.threadId === threadId && !messages.some((m) => m.clientMessageId === e.clientMessageId),
  );
}

function blockedReason(permissions: WirePermissions | null): string | null {
  return permissions?.canPost === false ? (permissions.postBlockedMessage ?? 'You cannot post here.') : null;
}

/** New messages from others, as a line for screen readers to read out politely. */
function useNewMessageAnnouncement(threadId: string): string {
  const { viewer, client } = useMessaging();
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    return client().on('new-message', ({ threadId: id, message }) => {
      if (id !== threadId || message.senderId === viewer.id || !message.content) return;
      setAnnouncement(`New message from ${message.senderName}: ${truncate(message.content, 160)}`);
    });
  }, [client, threadId, viewer.id]);
  return announcement;
}

/** Sending goes through the outbox; an edit or delete is REST, and its answer is applied at once. */
function useMessageActions(threadId: string, applyMessage: (m: WireMessage) => void) {
  const { api, client } = useMessaging();
  const send = useCallback(
    (content: string, attachmentIds: string[] = [], extras: SendExtras = {}) => {
      // A refusal stays in the outbox as failed, shown with Retry and Discard.
      client()
        .send({ threadId, content, attachmentIds, ...extras })
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
  return { send, onEdit, onDelete };
}

/** Reply, react and jump to a quoted message, for the list's messages (discussion.tsx). */
function useDiscussionActions({
  threadId,
  canReply,
  onReply,
  applyMessage,
  onError,
}: {
  threadId: string;
  canReply: boolean;
  onReply(m: WireMessage): void;
  applyMessage(m: WireMessage): void;
  onError(message: string | null): void;
}): DiscussionActions {
  const { api, viewer } = useMessaging();
  return useMemo(
    () => ({
      viewerId: viewer.id,
      canReply,
      reply(m) {
        onReply(m);
        document.querySelector<HTMLTextAreaElement>('[data-testid="conversation"] form textarea')?.focus();
      },
      react(messageId, emoji, on) {
        onError(null);
        api
          .react(messageId, emoji, on)
          .then(applyMessage)
          .catch((err: unknown) => onError(errorMessage(err)));
      },
      jumpTo(messageId) {
        const url = `${window.location.pathname}?thread=${encodeURIComponent(threadId)}&message=${encodeURIComponent(messageId)}`;
        window.history.pushState(null, '', url);
      },
    }),
    [api, viewer.id, canReply, threadId, onReply, applyMessage, onError],
  );
}

function ChatUnavailable({ gone, error, onBack }: { gone: boolean; error: string | null; onBack(): void }) {
  return (
    <div className="flex flex-1 items-center justify-center p-6">
      <div role="alert" className="max-w-sm text-center text-sm text-slate-700">
        <p className="font-semibold text-slate-900">
          {gone ? 'Conversation unavailable' : 'This conversation could not be loaded'}
        </p>
        <p className="mt-1">{error}</p>
        <button
          type="button"
          onClick={onBack}
          className="mt-3 rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
        >
          Back to conversations
        </button>
      </div>
    </div>
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
