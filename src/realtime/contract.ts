// The Socket.IO contract of namespace /messages, shared by the server (io.ts) and the typed client
// (client.ts): the guide's event names, their payloads as they travel (dates as ISO strings), and
// the acknowledgement shape `{ data } | { error: { code, message } }` of every client event.
// Types and constants only, so the browser bundle of client.ts stays small; payload validation
// lives in payloads.ts on the server.
import type { z } from 'zod';
import type { TUnreadTotals } from '@/messaging/count-unread';
import type { TMessageView, TThreadSummary, ZRole } from '@/messaging/dto';
import type { TReadState } from '@/messaging/mark-read';
import type { TLogEntry, TMessageChange } from '@/messaging/message-log';
import type { TSendMessageResult } from '@/messaging/send-message';

export const NAMESPACE = '/messages';
export const SOCKET_PATH = '/socket.io';

/** The domain's shapes travel as they are: their dates are already ISO strings. */
export type WireMessage = TMessageView;
export type WireThreadSummary = TThreadSummary;

// ---- acknowledgements ---------------------------------------------------------------------------

export interface AckError {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
  /** RATE_LIMITED: when to try again. */
  retryAfterMs?: number;
}

export type Ack<T> = { data: T } | { error: AckError };
export type AckFn<T> = (response: Ack<T>) => void;

// ---- client → server ----------------------------------------------------------------------------

/** The guide emits a bare thread id; an object is accepted too. */
export type ThreadRefPayload = string | { threadId: string };

export interface SendPayload {
  threadId: string;
  content: string;
  /** Required: a socket send is retried on reconnect, and the key makes the retry safe. */
  clientMessageId: string;
  /** Uploads to send with it (up to 10): the sender's own, not yet in a message. */
  attachmentIds?: string[];
  /** A reply: the message of the same thread it answers. */
  replyToId?: string;
  /** Participants it @mentions. */
  mentionIds?: string[];
}

export interface MarkReadPayload {
  threadId: string;
  /** Read up to and including this message; omitted: everything so far. */
  messageId?: string;
}

export interface JoinResult {
  threadId: string;
}
export type SendResult = TSendMessageResult;
export type ReadResult = TReadState;
export interface TypingResult {
  /** false when the event was throttled (a repeat within the throttle window). */
  broadcast: boolean;
}

export interface ClientToServerEvents {
  'join-thread': (payload: ThreadRefPayload, ack?: AckFn<JoinResult>) => void;
  'leave-thread': (payload: ThreadRefPayload, ack?: AckFn<JoinResult>) => void;
  'send-message': (payload: SendPayload, ack?: AckFn<SendResult>) => void;
  'typing-start': (payload: ThreadRefPayload, ack?: AckFn<TypingResult>) => void;
  'typing-stop': (payload: ThreadRefPayload, ack?: AckFn<TypingResult>) => void;
  'mark-read': (payload: MarkReadPayload, ack?: AckFn<ReadResult>) => void;
}

// ---- server → client ----------------------------------------------------------------------------

/** A durable event: `position` is its place in the change feed, the value to resume from. */
export interface MessageEventPayload {
  position: number;
  threadId: string;
  message: WireMessage;
}

export interface ThreadUpdatedPayload {
  threadId: string;
  /** The thread as this user's list shows it (last message, unread count, …); null once they left. */
  thread: WireThreadSummary | null;
  /** The recipient's unread totals after this change: the inbox badge's (muted and archived threads left out) and the dashboard's (every thread). */
  unread: { inbox: TUnreadTotals; all: TUnreadTotals };
}

export interface UserTypingPayload {
  threadId: string;
  userId: string;
  name: string;
  isTyping: boolean;
  /** Drop the indicator after this long without news (the server also sends isTyping: false). */
  expiresInMs: number;
}

export interface ReadReceiptPayload {
  threadId: string;
  userId: string;
  lastReadSeq: number;
  lastReadMessageId: string | null;
  readAt: string;
}

export interface SyncPayload {
  /** Everything up to here has been delivered to this connection; resume from it next time. */
  position: number;
  /** Durable events replayed from the database since the position the client sent. */
  replayed: number;
  /** true when the client sent a position and was caught up from it. */
  resumed: boolean;
}

/**
 * The position the client sent is older than the change feed's window: what it missed was pruned
 * and cannot be replayed. Nothing is replayed; reload everything shown over REST and continue from
 * `position`. `sync` follows, and live events flow after it as usual.
 */
export interface ResyncRequiredPayload {
  /** The current frontier: resume from here next time. */
  position: number;
}

export interface ServerToClientEvents {
  'new-message': (payload: MessageEventPayload) => void;
  'message-updated': (payload: MessageEventPayload) => void;
  'message-deleted': (payload: MessageEventPayload) => void;
  'thread-updated': (payload: ThreadUpdatedPayload) => void;
  'user-typing': (payload: UserTypingPayload) => void;
  'read-receipt': (payload: ReadReceiptPayload) => void;
  /** After every (re)connect, once the replay is done and live events flow. */
  sync: (payload: SyncPayload) => void;
  /** Instead of a replay, when the client's position is below the feed's window. */
  'resync-required': (payload: ResyncRequiredPayload) => void;
}

export type DurableEventName = 'new-message' | 'message-updated' | 'message-deleted';

export const DURABLE_EVENT: Record<TMessageChange, DurableEventName> = {
  created: 'new-message',
  updated: 'message-updated',
  deleted: 'message-deleted',
};

/** What the client sends in the handshake (`auth`). */
export interface HandshakeAuth {
  /** The last position this client saw; omitted on a first connect. */
  position?: number;
}

export interface SocketUser {
  id: string;
  name: string;
  role: z.infer<typeof ZRole>;
}

export interface SocketData {
  user: SocketUser;
  /** The better-auth session the socket was opened with; the socket lives no longer than it. */
  sessionId: string;
}

/**
 * Server-to-server (Redis adapter): the entries one process's sequencer pass positioned, in
 * position order, for the other processes' sockets.
 */
export interface InterServerEvents {
  'log-entries': (entries: WireLogEntry[]) => void;
  /** A round of thread-updated, for each process to emit to its own sockets of each recipient. */
  'thread-updates': (round: WireThreadUpdate[]) => void;
}

export type WireThreadUpdate = ThreadUpdatedPayload & { userId: string };

export type WireLogEntry = TLogEntry;

export const userRoom = (userId: string) => `user:${userId}`;
export const threadRoom = (threadId: string) => `thread:${threadId}`;
/** Every socket of one session, on every process: what a sign-out or revocation closes. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
