// Notification test harness: a real SMTP server (smtp-server) that parses what it accepts
// (mailparser), a clock the test moves, and the notification context and machinery on a test
// database, run to completion with `settle` (sequence the feed, plan, run every due job).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Db } from '@/db/client';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import {
  nobodyConnected,
  type Clock,
  type NotificationsContext,
  type Presence,
} from '@/notifications/context';
import { createMailer } from '@/platform/mailer';
import type { PushSender } from '@/platform/web-push';
import { startNotifications, type Notifications } from '@/server/notifications';
import { TEST_AUTH_SECRET } from './api';

export interface TestSmtp {
  url: string;
  /** Accepted emails, each with the EHLO name of the client that sent it. */
  mails: Array<ParsedMail & { client: string }>;
  close(): Promise<void>;
}

/**
 * An SMTP server on a free local port. `holdMs`: wait this long before accepting each email's
 * data; a sender whose connection closes meanwhile (killed) never gets its 250, and the email is
 * discarded, as a real server discards an unfinished transaction. `onData` hears of each email
 * received, by client name, before the hold. `rejectFirst`: answer that many emails 451 (try later).
 */
export async function startSmtpServer(
  opts: { holdMs?: number; onData?(client: string): void; rejectFirst?: number } = {},
): Promise<TestSmtp> {
  const mails: TestSmtp['mails'] = [];
  const closed = new Set<string>();
  let toReject = opts.rejectFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      const client = session.hostNameAppearsAs;
      simpleParser(stream)
        .then(async (mail) => {
          opts.onData?.(client);
          if (opts.holdMs) await new Promise((r) => setTimeout(r, opts.holdMs));
          if (closed.has(session.id)) return callback(new Error('connection closed before the reply'));
          if (toReject > 0) {
            toReject--;
            return callback(
              Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }),
            );
          }
          mails.push(Object.assign(mail, { client }));
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock that stands still until moved. */
export function testClock(start = new Date()): Clock & { advance(ms: number): void; set(at: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => void (now += ms),
    set: (at) => void (now = at.getTime()),
  };
}

export function testNotificationsContext(
  db: Db,
  opts: { smtpUrl: string; clock: Clock; presence?: Presence; push?: PushSender; emailDelayMs?: number },
): NotificationsContext {
  return {
    db,
    clock: opts.clock,
    mailer: createMailer({
      smtpUrl: opts.smtpUrl,
      outboxDir: '/nonexistent',
      from: 'Classroom <no-reply@test.local>',
    }),
    push: opts.push,
    presence: opts.presence ?? nobodyConnected,
    appUrl: 'http://localhost:3000',
    secret: TEST_AUTH_SECRET,
    emailDelayMs: opts.emailDelayMs ?? 900_000,
  };
}

/** The notification machinery with its timers slowed down: tests run it with settle(). */
export function startTestNotifications(ctx: NotificationsContext): Notifications {
  return startNotifications(ctx, { planEveryMs: 3_600_000, pollMs: 3_600_000 });
}

/** Numbers the feed's new changes, plans them, and runs every job due by the context's clock. */
export async function settle(db: Db, notifications: Notifications): Promise<void> {
  while ((await sequenceFeed({ db })).length) {
    /* every waiting change numbered */
  }
  await notifications.drain();
}

/**
 * Around a describe block: a real SMTP server and the notification machinery on the database `db()`
 * answers (read in beforeAll, so it may come from another hook), stopped afterwards. `context()`
 * adds what a suite needs besides the SMTP URL and the clock (presence, push, the email delay).
 */
export function useNotifications(opts: {
  db: () => Db;
  smtp?: { rejectFirst?: number };
  context?: () => { presence?: Presence; push?: PushSender; emailDelayMs?: number };
}): { clock: ReturnType<typeof testClock>; readonly smtp: TestSmtp; readonly notifications: Notifications } {
  const clock = testClock();
  let smtp: TestSmtp | undefined;
  let notifications: Notifications | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer(opts.smtp);
    notifications = startTestNotifications(
      testNotificationsContext(opts.db(), { smtpUrl: smtp.url, clock, ...opts.context?.() }),
    );
  });
  afterAll(async () => {
    await notifications?.stop();
    await smtp?.close();
  });
  return {
    clock,
    get smtp() {
      return smtp!;
    },
    get notifications() {
      return notifications!;
    },
  };
}
