// Typing indicators: volatile, throttled and self-expiring. A repeat typing-start within the
// throttle window only extends the indicator; silence for EXPIRE_MS ends it with isTyping: false,
// as do typing-stop, sending, and disconnecting. Nothing here is stored.
import type { UserTypingPayload } from './contract';

export const TYPING_THROTTLE_MS = 2_000;
export const TYPING_EXPIRE_MS = 5_000;
/** What clients are told: a little longer than the server's own expiry, so the stop arrives first. */
export const TYPING_CLIENT_EXPIRY_MS = 6_000;

interface Entry {
  socketId: string;
  lastBroadcast: number;
  timer: NodeJS.Timeout;
}

export interface TypingTracker {
  /** Returns whether the start should be broadcast now (false: throttled). */
  start(key: { threadId: string; userId: string; socketId: string }, onExpire: () => void): boolean;
  /** Returns whether someone was typing (so a stop should be broadcast). */
  stop(key: { threadId: string; userId: string }): boolean;
  /** Every thread this socket was typing in, cleared. */
  dropSocket(socketId: string): Array<{ threadId: string; userId: string }>;
  clear(): void;
}

export function createTypingTracker(now: () => number = Date.now): TypingTracker {
  const entries = new Map<string, Entry>();
  const keyOf = (threadId: string, userId: string) => `${threadId}\u0000${userId}`;

  return {
    start({ threadId, userId, socketId }, onExpire) {
      const k = keyOf(threadId, userId);
      const existing = entries.get(k);
      const t = now();
      if (existing) clearTimeout(existing.timer);
      const timer = setTimeout(() => {
        entries.delete(k);
        onExpire();
      }, TYPING_EXPIRE_MS);
      timer.unref();
      const broadcast = !existing || t - existing.lastBroadcast >= TYPING_THROTTLE_MS;
      entries.set(k, { socketId, timer, lastBroadcast: broadcast ? t : existing.lastBroadcast });
      return broadcast;
    },
    stop({ threadId, userId }) {
      const k = keyOf(threadId, userId);
      const existing = entries.get(k);
      if (!existing) return false;
      clearTimeout(existing.timer);
      entries.delete(k);
      return true;
    },
    dropSocket(socketId) {
      const dropped: Array<{ threadId: string; userId: string }> = [];
      for (const [k, e] of entries) {
        if (e.socketId !== socketId) continue;
        clearTimeout(e.timer);
        entries.delete(k);
        const [threadId = '', userId = ''] = k.split('\u0000');
        dropped.push({ threadId, userId });
      }
      return dropped;
    },
    clear() {
      for (const e of entries.values()) clearTimeout(e.timer);
      entries.clear();
    },
  };
}

export function typingPayload(
  threadId: string,
  user: { id: string; name: string },
  isTyping: boolean,
): UserTypingPayload {
  return {
    threadId,
    userId: user.id,
    name: user.name,
    isTyping,
    expiresInMs: isTyping ? TYPING_CLIENT_EXPIRY_MS : 0,
  };
}
