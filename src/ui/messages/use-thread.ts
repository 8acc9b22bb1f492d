'use client';
// One open thread: its detail and newest page as the server rendered it or else over REST, older
// pages on demand (keyset cursor),
// and live changes from the realtime client: messages upserted by id (so a replayed or repeated
// event changes nothing), read receipts, typing, and the thread's own row. The socket joins the
// thread's room for typing; durable events reach the user's room whether or not it has joined.
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { UserTypingPayload, WireMessage, WireThreadSummary } from '@/realtime/contract';
import {
  errorMessage,
  isAbort,
  type WireParticipant,
  type WirePermissions,
  type WireMessagePage,
  type WireThreadDetail,
} from './api';
import { useMessaging } from './MessagingProvider';
import { usePagedList, type Page } from './use-paged-list';

/** A thread as the server rendered it: what GET …/threads/{threadId} returns, and the change feed's
 *  position it is at least as new as. */
export interface RenderedThread {
  detail: WireThreadDetail;
  position: number;
}

export interface TypingUser {
  userId: string;
  name: string;
}

export interface ThreadState {
  threadId: string;
  status: 'loading' | 'ready' | 'error' | 'gone';
  error: string | null;
  thread: WireThreadSummary | null;
  participants: WireParticipant[];
  permissions: WirePermissions | null;
  typing: TypingUser[];
}

type Action =
  | { type: 'detail'; detail: WireThreadDetail }
  | { type: 'error'; error: string; gone?: boolean }
  | { type: 'receipt'; userId: string; lastReadSeq: number; readAt: string }
  | { type: 'summary'; thread: WireThreadSummary }
  | { type: 'typing'; payload: UserTypingPayload }
  | { type: 'typingExpired'; userId: string };

function emptyState(threadId: string): ThreadState {
  return {
    threadId,
    status: 'loading',
    error: null,
    thread: null,
    participants: [],
    permissions: null,
    typing: [],
  };
}

function initialState({ threadId, rendered }: { threadId: string; rendered: RenderedThread | null }) {
  const empty = emptyState(threadId);
  // The rendered detail goes in exactly as the REST one would.
  return rendered ? reducer(empty, { type: 'detail', detail: rendered.detail }) : empty;
}

/** Of two copies of one message, the newer: a deletion wins, then the later edit. */
function newer(current: WireMessage, incoming: WireMessage): WireMessage {
  if (current.deletedAt) return current;
  if (incoming.deletedAt) return incoming;
  return (incoming.editedAt ?? '') > (current.editedAt ?? '') ? incoming : current;
}

export function mergeMessages(current: WireMessage[], incoming: WireMessage[]): WireMessage[] {
  if (incoming.length === 0) return current;
  const map = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const had = map.get(m.id);
    const next = had ? newer(had, m) : m;
    if (next !== had) {
      map.set(m.id, next);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...map.values()].sort((a, b) => a.seq - b.seq);
}

/** A page of messages as the pager reads it: older pages go back in time. */
function olderPage(page: WireMessagePage): Page<WireMessage> {
  return { items: page.messages, nextCursor: page.hasOlder ? page.olderCursor : null };
}

function reducer(state: ThreadState, action: Action): ThreadState {
  switch (action.type) {
    case 'detail': {
      const { detail } = action;
      return {
        ...state,
        status: 'ready',
        error: null,
        thread: detail.thread,
        participants: detail.participants,
        permissions: detail.permissions,
      };
    }
    case 'error':
      return { ...state, status: action.gone ? 'gone' : 'error', error: action.error };
    case 'receipt':
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === action.userId && action.lastReadSeq > p.lastReadSeq
            ? { ...p, lastReadSeq: action.lastReadSeq, lastReadAt: action.readAt }
            : p,
        ),
      };
    case 'summary':
      return { ...state, thread: action.thread };
    case 'typing': {
      const { userId, name, isTyping } = action.payload;
      const others = state.typing.filter((t) => t.userId !== userId);
      return { ...state, typing: isTyping ? [...others, { userId, name }] : others };
    }
    case 'typingExpired':
      return { ...state, typing: state.typing.filter((t) => t.userId !== action.userId) };
  }
}

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
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    let joined = false;
    // A page rendered by the server misses what was committed after it. A client that connects
    // after this mount resumes from its position, which is the render's when the layout created it.
    let firstSync = renderedAt !== null && c.status !== 'online';
    const resumingFrom = c.position;

    const load = (keepOlder: boolean, dropOlder = false) =>
      api
        .getThread(threadId, controller.signal)
        .then((detail) => {
          dispatch({ type: 'detail', detail });
          const page = olderPage(detail.messages);
          // Older pages may hold edits and deletions nobody replayed: they are read again when
          // scrolled to.
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
    const join = () => {
      if (joined || c.status !== 'online') return;
      joined = true;
      c.joinThread(threadId).catch(() => {
        joined = false;
      });
    };
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
        else
          dispatch({
            type: 'error',
            gone: true,
            error: 'You are no longer a member of this conversation.',
          });
      }),
      c.on('user-typing', (p) => {
        if (!forThread(p) || p.userId === viewer.id) return;
        clearTimeout(timers.get(p.userId));
        dispatch({ type: 'typing', payload: p });
        if (p.isTyping) {
          timers.set(
            p.userId,
            setTimeout(() => dispatch({ type: 'typingExpired', userId: p.userId }), p.expiresInMs),
          );
        }
      }),
      // The client emits `sync` before its status turns 'online', so the join happens here.
      c.on('status', (s) => {
        if (s === 'online') join();
        else joined = false;
      }),
      // Away longer than the change feed's window: nothing was replayed, so everything shown is read
      // again; the `sync` that follows needs no read of its own.
      c.on('resync-required', () => {
        firstSync = false;
        void load(false, true);
      }),
      // Read state and typing are not replayed after a reconnect: read the thread again.
      c.on('sync', ({ resumed, position }) => {
        join();
        if (firstSync && renderedAt !== null) {
          firstSync = false;
          // Resumed from the render's position: everything since has just been replayed. Not
          // resumed: nothing was, so a change after the render is missing.
          if (resumed ? resumingFrom !== renderedAt : position > renderedAt) void load(true);
        } else if (resumed) void load(true);
      }),
    ];
    join();
    if (renderedAt === null) void load(false);
    // Already online: changes after the render may have gone by before this listened.
    else if (c.status === 'online' && (c.position ?? 0) > renderedAt) void load(true);
    return () => {
      controller.abort();
      for (const off of offs) off();
      for (const t of timers.values()) clearTimeout(t);
      if (joined && c.status === 'online') c.leaveThread(threadId).catch(() => {});
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
