// What the notification use cases receive: the database, a clock (tests inject one), the outgoing
// channels (mailer, push sender) and who is connected right now (the realtime layer knows; a process
// without sockets says nobody). Built by src/server/notifications.ts.
import type { Db } from '@/db/client';
import type { Mailer } from '@/platform/mailer';
import type { PushSender } from '@/platform/web-push';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Presence {
  /** Which of these users have at least one open socket, on any process. */
  connectedUsers(userIds: string[]): Promise<Set<string>>;
}

export const nobodyConnected: Presence = { connectedUsers: async () => new Set() };

export interface NotificationsContext {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  push?: PushSender;
  presence: Presence;
  /** The app's public URL, for links in emails and pushes. */
  appUrl: string;
  /** Signs unsubscribe links (the auth secret). */
  secret: string;
  /** NOTIFY_EMAIL_DELAY in milliseconds. */
  emailDelayMs: number;
}

/** Queues of the jobs table the notification worker runs. */
export const EMAIL_QUEUE = 'notify.email';
export const PUSH_QUEUE = 'notify.push';
export type TChannel = 'email' | 'push';
export const queueOf = (channel: TChannel) => (channel === 'email' ? EMAIL_QUEUE : PUSH_QUEUE);
/** One flush job per user and channel: `notify.email:<userId>`. */
export const flushKey = (channel: TChannel, userId: string) => `${queueOf(channel)}:${userId}`;
