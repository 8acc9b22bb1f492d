'use client';
// One open thread: its detail and newest page as the server rendered it or else over REST, older
// pages on demand (keyset cursor),
// and live changes from the realtime client: messages upserted by id (so a replayed or repeated
// event changes nothing), read receipts, typing, and the thread's own row. The socket joins the
// thread's room for typing; durable events reach the user's room whether or not it has joined.
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { MessagingClient } from '@/realtime/client';
import type { SyncPayload, WireMessage, WireThreadSummary } from '@/realtime/contract';
import { errorMessage, isAbort, type MessagingApi } from './api';
import { useMessaging } from './MessagingProvider';
import {
  initialState,
  mergeMessages,
  olderPage,
  reducer,
  type RenderedThread,
  type ThreadAction,
} from './thread-state';
import { usePagedList, type Page } from './use-paged-list';

export { mergeMessages } from './thread-state';
export type { RenderedThread, ThreadState, TypingUser } from './thread-state';

type Dispatch = (action: ThreadAction) => void;

export function useThread(threadId: string, rendered: RenderedThread | null) {
  const { api, client, viewer } = useMessaging();
  // Keyed by thread: the caller renders one hook per thread (key={threadId}).
  const [state, dispatch] = useReducer(reducer, { threadId, rendered }, initialState);
  const [renderedAt] = useState(rendered?.position ?? null);
  // Oldest first, by seq; older pages on demand.
  const messages = usePagedList<WireMessage, string>({
    query: threadId,
    fetchPage: (id, cursor, signal) =>
      api.listMessages(id, { before: cursor ?? undefined }, signal).then(olderPage),
    merge: mergeMessages,
    initial: rendered ? olderPage(rendered.detail.messages) : undefined,
  });
  const { receive, update } = messages;
  const applyMessage = useCallback(
    (m: WireMessage) => update((current) => mergeMessages(current, [m])),
    [update],
  );

  useEffect(() => {
    const c = client();
    const controller = new AbortController();
    const room = threadRoom(c, threadId);
    const missedSinceRender = catchUpAfterSync(c, renderedAt);
    const load = (keepOlder: boolean, dropOlder = false) =>
      loadThread({
        api,
        threadId,
        signal: controller.signal,
        dispatch,
        receive,
        update,
        keepOlder,
        dropOlder,
      });

    const stopListening = listenToThread(c, { threadId, viewerId: viewer.id, dispatch, applyMessage });
    const offs = [
      // The client emits `sync` before its status turns 'online', so the join happens here.
      c.on('status', (s) => (s === 'online' ? room.join() : room.forget())),
      // Away longer than the change feed's window: nothing was replayed, so everything shown is read
      // again; the `sync` that follows needs no read of its own.
      c.on('resync-required', () => {
        missedSinceRender.resynced();
        void load(false, true);
      }),
      c.on('sync', (sync) => {
        room.join();
        if (missedSinceRender.afterSync(sync)) void load(true);
      }),
    ];
    room.join();
    if (renderedAt === null) void load(false);
    // Already online: changes after the render may have gone by before this listened.
    else if (c.status === 'online' && (c.position ?? 0) > renderedAt) void load(true);
    return () => {
      controller.abort();
      stopListening();
      for (const off of offs) off();
      room.leave();
    };
  }, [api, client, threadId, viewer.id, renderedAt, receive, update, applyMessage]);

  const applyReceipt = useCallback(
    (r: { lastReadSeq: number; readAt: string }) =>
      dispatch({ type: 'receipt', userId: viewer.id, lastReadSeq: r.lastReadSeq, readAt: r.readAt }),
    [viewer.id],
  );
  const applySummary = useCallback((t: WireThreadSummary) => dispatch({ type: 'summary', thread: t }), []);

  return {
    state: {
      ...state,
      messages: messages.items,
      hasOlder: messages.nextCursor !== null,
      loadingOlder: messages.loadingMore,
      olderError: messages.error,
    },
    loadOlder: messages.loadMore,
    applyMessage,
    applyReceipt,
    applySummary,
  };
}

/** Reads the thread's detail and newest page over REST. */
function loadThread({
  api,
  threadId,
  signal,
  dispatch,
  receive,
  update,
  keepOlder,
  dropOlder,
}: {
  api: MessagingApi;
  threadId: string;
  signal: AbortSignal;
  dispatch: Dispatch;
  receive(page: Page<WireMessage>, opts: { keepCursor: boolean }): void;
  update(fn: (items: WireMessage[]) => WireMessage[]): void;
  /** Keep the cursor for older pages: the list already holds (and pages back from) more. */
  keepOlder: boolean;
  /** Drop older pages already loaded: after a resync they may hold edits nobody replayed. */
  dropOlder: boolean;
}) {
  return api
    .getThread(threadId, signal)
    .then((detail) => {
      dispatch({ type: 'detail', detail });
      const page = olderPage(detail.messages);
      const oldest = page.items[0]?.seq ?? 0;
      if (dropOlder) update((current) => current.filter((m) => m.seq >= oldest));
      // What arrived live while the page was read is kept: the page may predate it.
      receive(page, { keepCursor: keepOlder });
    })
    .catch((err: unknown) => {
      if (isAbort(err)) return;
      const gone = (err as { status?: number }).status === 404;
      dispatch({
        type: 'error',
        gone,
        error: gone
          ? 'This conversation does not exist or you no longer have access to it.'
          : errorMessage(err),
      });
    });
}

/** The thread's room on the socket, where typing is sent: joined while online, left at the end. */
function threadRoom(c: MessagingClient, threadId: string) {
  let joined = false;
  return {
    join() {
      if (joined || c.status !== 'online') return;
      joined = true;
      c.joinThread(threadId).catch(() => {
        joined = false;
      });
    },
    /** Offline: the server has dropped the socket and its rooms. */
    forget() {
      joined = false;
    },
    leave() {
      if (joined && c.status === 'online') c.leaveThread(threadId).catch(() => {});
    },
  };
}

/**
 * Whether a `sync` leaves the view missing something, so the thread must be read again. A page
 * rendered by the server misses what was committed after it. A client that connects after this
 * mount resumes from its position, which is the render's when the layout created it.
 */
function catchUpAfterSync(c: MessagingClient, renderedAt: number | null) {
  let firstSync = renderedAt !== null && c.status !== 'online';
  const resumingFrom = c.position;
  return {
    /** A resync re-reads everything itself, so the first sync's check no longer applies. */
    resynced: () => {
      firstSync = false;
    },
    afterSync: ({ resumed, position }: SyncPayload): boolean => {
      if (firstSync && renderedAt !== null) {
        firstSync = false;
        // Resumed from the render's position: everything since has just been replayed. Not
        // resumed: nothing was, so a change after the render is missing.
        return resumed ? resumingFrom !== renderedAt : position > renderedAt;
      }
      // Read state and typing are not replayed after a reconnect: read the thread again.
      return resumed;
    },
  };
}

/** Live changes to this thread; returns what stops listening (and drops typing timers). */
function listenToThread(
  c: MessagingClient,
  {
    threadId,
    viewerId,
    dispatch,
    applyMessage,
  }: { threadId: string; viewerId: string; dispatch: Dispatch; applyMessage(m: WireMessage): void },
): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const forThread = (p: { threadId: string }) => p.threadId === threadId;
  const offs = [
    // The one way a message enters the view, our own included: the server sends new-message to
    // the sender's sockets too, and the outbox shows it as pending until then.
    c.on('new-message', (p) => {
      if (!forThread(p)) return;
      applyMessage(p.message);
      dispatch({ type: 'typingExpired', userId: p.message.senderId });
    }),
    c.on('message-updated', (p) => forThread(p) && applyMessage(p.message)),
    c.on('message-deleted', (p) => forThread(p) && applyMessage(p.message)),
    c.on('read-receipt', (p) => {
      if (forThread(p))
        dispatch({ type: 'receipt', userId: p.userId, lastReadSeq: p.lastReadSeq, readAt: p.readAt });
    }),
    c.on('thread-updated', (p) => {
      if (!forThread(p)) return;
      if (p.thread) dispatch({ type: 'summary', thread: p.thread });
      else dispatch({ type: 'error', gone: true, error: 'You are no longer a member of this conversation.' });
    }),
    c.on('user-typing', (p) => {
      if (!forThread(p) || p.userId === viewerId) return;
      clearTimeout(timers.get(p.userId));
      dispatch({ type: 'typing', payload: p });
      if (p.isTyping) {
        timers.set(
          p.userId,
          setTimeout(() => dispatch({ type: 'typingExpired', userId: p.userId }), p.expiresInMs),
        );
      }
    }),
  ];
  return () => {
    for (const off of offs) off();
    for (const t of timers.values()) clearTimeout(t);
  };
}
