// The typed realtime client, for the UI and the tests. It connects to /messages, resumes from the
// last durable position it saw (sent in the handshake on every reconnect), drops any durable event
// at or below that position, re-joins the threads that were open, and keeps an outbox: a message
// is stored with its client key before it is sent and resent with the same key until the server
// acknowledges it, across reconnects and, with a persistent store, across reloads. A position
// older than the server's window gets `resync-required`: the client adopts the new position and
// its listeners reload over REST.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  NAMESPACE,
  SOCKET_PATH,
  type Ack,
  type AckError,
  type ClientToServerEvents,
  type JoinResult,
  type MessageEventPayload,
  type ReadResult,
  type ResyncRequiredPayload,
  type SendResult,
  type ServerToClientEvents,
  type SyncPayload,
  type TypingResult,
  type WireMessage,
} from './contract';

export type ConnectionStatus = 'connecting' | 'syncing' | 'online' | 'offline' | 'unauthorized';

export interface OutboxEntry {
  clientMessageId: string;
  threadId: string;
  content: string;
  /** Uploaded files sent with it (already stored: only their ids wait in the outbox). */
  attachmentIds?: string[];
  /** A reply to this message of the thread, and the participants it @mentions. */
  replyToId?: string;
  mentionIds?: string[];
  /** When the user sent it (ms since epoch). */
  queuedAt: number;
  attempts: number;
  state: 'pending' | 'failed';
  /** A permanent refusal (validation, permission, …): shown to the user, not retried by itself. */
  error?: AckError;
  /** Refused for the send limit: when (ms since epoch) it is tried again, for the composer's countdown. */
  retryAt?: number;
}

/** Where the outbox lives. In the browser, localStorage, so a reload does not lose or repeat sends. */
export interface OutboxStore {
  load(): OutboxEntry[];
  save(entries: OutboxEntry[]): void;
}

export function memoryOutbox(initial: OutboxEntry[] = []): OutboxStore {
  let entries = initial;
  return { load: () => entries, save: (next) => void (entries = next) };
}

export function localStorageOutbox(key: string): OutboxStore {
  return {
    load() {
      try {
        const raw = globalThis.localStorage?.getItem(key);
        return raw ? (JSON.parse(raw) as OutboxEntry[]) : [];
      } catch {
        return [];
      }
    },
    save(entries) {
      try {
        if (entries.length) globalThis.localStorage?.setItem(key, JSON.stringify(entries));
        else globalThis.localStorage?.removeItem(key);
      } catch {
        // storage full or disabled: the in-memory outbox still works for this page
      }
    },
  };
}

export interface MessagingClientOptions {
  /** The app's origin; omitted in the browser for the page's own origin. */
  url?: string;
  /** Node only: headers for the handshake, typically `{ cookie }`. Browsers send their cookie. */
  headers?: Record<string, string>;
  /** ['websocket'] skips long-polling, which also removes the need for sticky sessions. */
  transports?: Array<'websocket' | 'polling'>;
  /** Resume from here on the first connect (a position saved by an earlier page). */
  position?: number;
  outbox?: OutboxStore;
  /** How long a send waits for its acknowledgement before it counts as not delivered. */
  ackTimeoutMs?: number;
  /** Passed through to socket.io-client (reconnection delays and the like). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** The server's events, plus the client's own. */
export interface ClientEvents extends ServerToClientEvents {
  status: (status: ConnectionStatus) => void;
  /** The outbox changed: an entry queued, acknowledged (gone), or failed. */
  outbox: (entries: readonly OutboxEntry[]) => void;
  /** A queued message was acknowledged: the stored message. */
  sent: (result: SendResult) => void;
}

export class RequestError extends Error {
  constructor(readonly error: AckError) {
    super(error.message);
    this.name = 'RequestError';
  }
  get code() {
    return this.error.code;
  }
}

/** Errors worth sending again with the same key: the server may not have had its say yet. */
/** How long after a server-side disconnect the client asks again. */
const SERVER_DROP_RETRY_MS = 1_000;
const TRANSIENT = new Set(['TIMEOUT', 'DISCONNECTED', 'INTERNAL', 'UNAVAILABLE', 'RATE_LIMITED']);

type Listener = (...args: never[]) => void;
type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class MessagingClient {
  readonly socket: AppSocket;
  private listeners = new Map<keyof ClientEvents, Set<Listener>>();
  private lastPosition: number | undefined;
  private currentStatus: ConnectionStatus = 'connecting';
  private readonly joined = new Set<string>();
  private readonly store: OutboxStore;
  private entries: OutboxEntry[];
  private readonly waiters = new Map<string, { resolve(r: SendResult): void; reject(e: Error): void }>();
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private serverDropTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly ackTimeoutMs: number;

  constructor(opts: MessagingClientOptions = {}) {
    this.lastPosition = opts.position;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.store = opts.outbox ?? memoryOutbox();
    this.entries = this.store.load().map((e) => ({ ...e }));
    const target = opts.url ? new URL(NAMESPACE, opts.url).toString() : NAMESPACE;
    this.socket = io(target, {
      path: SOCKET_PATH,
      transports: opts.transports ?? ['websocket', 'polling'],
      extraHeaders: opts.headers,
      withCredentials: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 3_000,
      // Read on every (re)connect: the server resumes from the newest position seen.
      auth: (cb) => cb(this.lastPosition === undefined ? {} : { position: this.lastPosition }),
      ...opts.socketOptions,
    });
    this.wire();
  }

  /** The last durable position delivered to this client. */
  get position(): number | undefined {
    return this.lastPosition;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get outbox(): readonly OutboxEntry[] {
    return this.entries;
  }

  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Resolves when the socket is online and caught up (after the first `sync`). */
  ready(timeoutMs = 15_000): Promise<void> {
    if (this.currentStatus === 'online') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`not online after ${timeoutMs} ms (status: ${this.currentStatus})`));
      }, timeoutMs);
      const off = this.on('status', (s) => {
        if (s === 'online') {
          clearTimeout(timer);
          off();
          resolve();
        } else if (s === 'unauthorized') {
          clearTimeout(timer);
          off();
          reject(new RequestError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' }));
        }
      });
    });
  }

  async joinThread(threadId: string): Promise<JoinResult> {
    const result = await this.request('join-thread', threadId);
    this.joined.add(threadId);
    return result;
  }

  async leaveThread(threadId: string): Promise<JoinResult> {
    this.joined.delete(threadId);
    return this.request('leave-thread', threadId);
  }

  /**
   * Queues a message and resolves with the stored message once acknowledged. A transient failure
   * (timeout, disconnect) keeps it queued and resent with the same key; a refusal rejects.
   */
  send(input: {
    threadId: string;
    content: string;
    attachmentIds?: string[];
    clientMessageId?: string;
    replyToId?: string;
    mentionIds?: string[];
  }): Promise<SendResult> {
    const entry: OutboxEntry = {
      clientMessageId: input.clientMessageId ?? newClientMessageId(),
      threadId: input.threadId,
      content: input.content,
      ...(input.attachmentIds?.length ? { attachmentIds: input.attachmentIds } : {}),
      ...(input.replyToId ? { replyToId: input.replyToId } : {}),
      ...(input.mentionIds?.length ? { mentionIds: input.mentionIds } : {}),
      queuedAt: Date.now(),
      attempts: 0,
      state: 'pending',
    };
    const done = new Promise<SendResult>((resolve, reject) =>
      this.waiters.set(entry.clientMessageId, { resolve, reject }),
    );
    this.entries = [...this.entries, entry];
    this.persist();
    void this.flush();
    return done;
  }

  /** Sends a failed entry again (same key). */
  retry(clientMessageId: string): void {
    this.entries = this.entries.map((e) =>
      e.clientMessageId === clientMessageId ? { ...e, state: 'pending', error: undefined } : e,
    );
    this.persist();
    void this.flush();
  }

  discard(clientMessageId: string): void {
    this.entries = this.entries.filter((e) => e.clientMessageId !== clientMessageId);
    this.persist();
  }

  startTyping(threadId: string): Promise<TypingResult> {
    return this.request('typing-start', threadId, { volatile: true });
  }

  stopTyping(threadId: string): Promise<TypingResult> {
    return this.request('typing-stop', threadId, { volatile: true });
  }

  markRead(threadId: string, messageId?: string): Promise<ReadResult> {
    return this.request('mark-read', messageId ? { threadId, messageId } : { threadId });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.serverDropTimer);
    this.socket.disconnect();
    this.setStatus('offline');
  }

  // ---- internals --------------------------------------------------------------------------------

  private wire() {
    const s = this.socket;
    s.on('connect', () => {
      this.setStatus('syncing');
      for (const threadId of this.joined) {
        this.socket.emit('join-thread', threadId, (r) => {
          if ('error' in r) this.joined.delete(threadId);
        });
      }
    });
    s.on('disconnect', (reason) => {
      this.setStatus('offline');
      // socket.io-client gives up after a server-side disconnect (a session that ended, a failed
      // resume). Try once more after a pause: the handshake then says which (UNAUTHORIZED, or a
      // fresh resume), instead of the tab sitting "offline" for good.
      if (reason === 'io server disconnect') {
        clearTimeout(this.serverDropTimer);
        this.serverDropTimer = setTimeout(() => {
          if (!this.closed && !s.connected) s.connect();
        }, SERVER_DROP_RETRY_MS);
      }
    });
    s.on('connect_error', (err) => {
      const data = (err as Error & { data?: AckError }).data;
      this.setStatus(data?.code === 'UNAUTHORIZED' ? 'unauthorized' : 'offline');
    });
    // Away longer than the feed's window: nothing was replayed. Listeners reload what they show
    // over REST; the outbox stays (its keys make the sends after `sync` safe) and so do the rooms.
    s.on('resync-required', (payload) => {
      this.lastPosition = payload.position;
      this.emit('resync-required', payload);
    });
    s.on('sync', (payload) => {
      this.lastPosition = payload.position;
      this.emit('sync', payload);
      this.setStatus('online');
      void this.flush();
    });
    const durable = (name: 'new-message' | 'message-updated' | 'message-deleted') =>
      s.on(name, (payload: MessageEventPayload) => {
        // Positions reach a connection in order; anything at or below the last one is a repeat.
        if (this.lastPosition !== undefined && payload.position <= this.lastPosition) return;
        this.lastPosition = payload.position;
        // Our own message stored and delivered before its acknowledgement came (or before a
        // drop lost the acknowledgement): it is sent, not waiting.
        const key = payload.message.clientMessageId;
        if (name === 'new-message' && key && this.entries.some((e) => e.clientMessageId === key)) {
          this.settle(key, { message: payload.message, created: true });
        }
        this.emit(name, payload);
      });
    durable('new-message');
    durable('message-updated');
    durable('message-deleted');
    s.on('thread-updated', (p) => this.emit('thread-updated', p));
    s.on('user-typing', (p) => this.emit('user-typing', p));
    s.on('read-receipt', (p) => this.emit('read-receipt', p));
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.currentStatus !== 'online') return;
    this.flushing = true;
    try {
      // In queue order, one at a time: the thread shows them in the order they were written.
      for (;;) {
        const entry = this.entries.find((e) => e.state === 'pending');
        if (!entry || this.currentStatus !== 'online') return;
        entry.attempts += 1;
        delete entry.retryAt;
        this.persist();
        let response: Ack<SendResult>;
        try {
          response = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('send-message', {
            threadId: entry.threadId,
            content: entry.content,
            clientMessageId: entry.clientMessageId,
            ...(entry.attachmentIds ? { attachmentIds: entry.attachmentIds } : {}),
            ...(entry.replyToId ? { replyToId: entry.replyToId } : {}),
            ...(entry.mentionIds ? { mentionIds: entry.mentionIds } : {}),
          });
        } catch {
          response = { error: { code: 'TIMEOUT', message: 'The server did not answer in time.' } };
        }
        if ('data' in response) {
          this.settle(entry.clientMessageId, response.data);
          continue;
        }
        if (TRANSIENT.has(response.error.code)) {
          // Left pending; tried again on the next sync, or after a pause while still online.
          const wait = response.error.retryAfterMs ?? Math.min(500 * 2 ** entry.attempts, 10_000);
          if (response.error.code === 'RATE_LIMITED') {
            entry.retryAt = Date.now() + wait;
            this.persist();
          }
          this.scheduleRetry(wait);
          return;
        }
        this.fail(entry.clientMessageId, response.error);
      }
    } finally {
      this.flushing = false;
    }
  }

  private scheduleRetry(ms: number) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.flush(), ms);
  }

  private settle(clientMessageId: string, result: SendResult) {
    this.entries = this.entries.filter((e) => e.clientMessageId !== clientMessageId);
    this.persist();
    this.waiters.get(clientMessageId)?.resolve(result);
    this.waiters.delete(clientMessageId);
    this.emit('sent', result);
  }

  private fail(clientMessageId: string, error: AckError) {
    this.entries = this.entries.map((e) =>
      e.clientMessageId === clientMessageId ? { ...e, state: 'failed', error } : e,
    );
    this.persist();
    this.waiters.get(clientMessageId)?.reject(new RequestError(error));
    this.waiters.delete(clientMessageId);
  }

  private persist() {
    this.store.save(this.entries);
    this.emit('outbox', this.entries);
  }

  private async request<
    E extends 'join-thread' | 'leave-thread' | 'typing-start' | 'typing-stop' | 'mark-read',
  >(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
    opts: { volatile?: boolean } = {},
  ): Promise<AckData<E>> {
    if (!this.socket.connected) {
      throw new RequestError({ code: 'DISCONNECTED', message: 'Not connected to the server.' });
    }
    const target = opts.volatile ? this.socket.volatile : this.socket;
    let response: Ack<AckData<E>>;
    try {
      response = await (
        target.timeout(this.ackTimeoutMs) as unknown as {
          emitWithAck(e: E, p: unknown): Promise<Ack<AckData<E>>>;
        }
      ).emitWithAck(event, payload);
    } catch {
      throw new RequestError({ code: 'TIMEOUT', message: 'The server did not answer in time.' });
    }
    if ('error' in response) throw new RequestError(response.error);
    return response.data;
  }

  private setStatus(status: ConnectionStatus) {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.emit('status', status);
  }

  private emit<E extends keyof ClientEvents>(event: E, ...args: Parameters<ClientEvents[E]>) {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        console.error(`messaging client: a ${event} listener failed`, err);
      }
    }
  }
}

type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends
  ((r: Ack<infer T>) => void) | undefined
  ? T
  : never;

export function createMessagingClient(opts: MessagingClientOptions = {}): MessagingClient {
  return new MessagingClient(opts);
}

/**
 * A random UUID v4. `crypto.randomUUID` exists only in secure contexts (https, localhost); a page
 * opened over plain http from another machine on the network still has getRandomValues.
 */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type { MessageEventPayload, ResyncRequiredPayload, SendResult, SyncPayload, WireMessage };
