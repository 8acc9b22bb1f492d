// One open thread's state apart from its messages: the detail (summary, participants,
// permissions), whether it loaded, read receipts and who is typing; and how copies of a message
// are merged, so a replayed or repeated event changes nothing.
import type { UserTypingPayload, WireMessage, WireThreadSummary } from '@/realtime/contract';
import type { WireMessagePage, WireParticipant, WirePermissions, WireThreadDetail } from './api';
import type { Page } from './use-paged-list';

/** A thread as the server rendered it: what GET …/threads/{threadId} returns, and the change feed's
 *  position it is at least as new as. */
export interface RenderedThread {
  detail: WireThreadDetail;
  position: number;
  /**
   * The page's script nonce (its Content-Security-Policy): the server-rendered conversation places
   * itself at its newest message with a one-line inline script, before the app hydrates.
   */
  scriptNonce?: string;
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

export type ThreadAction =
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

export function initialState({ threadId, rendered }: { threadId: string; rendered: RenderedThread | null }) {
  const empty = emptyState(threadId);
  // The rendered detail goes in exactly as the REST one would.
  return rendered ? reducer(empty, { type: 'detail', detail: rendered.detail }) : empty;
}

/** Of two copies of one message, the newer: a deletion wins, then the later edit. */
function newer(current: WireMessage, incoming: WireMessage): WireMessage {
  if (current.deletedAt) return current;
  if (incoming.deletedAt) return incoming;
  // Every change after the send (edit, reaction) moves the version.
  if (incoming.version !== current.version) return incoming.version > current.version ? incoming : current;
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
export function olderPage(page: WireMessagePage): Page<WireMessage> {
  return { items: page.messages, nextCursor: page.hasOlder ? page.olderCursor : null };
}

export function reducer(state: ThreadState, action: ThreadAction): ThreadState {
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
