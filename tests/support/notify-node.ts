// A notification worker process for tests: the app's planner and job worker (src/server/
// notifications.ts) on DATABASE_URL or an embedded DATA_DIR, sending over SMTP_URL with no delay.
// Prints `LISTENING 0` once it runs. NODE_NAME names its lease holder and its SMTP greeting, so a
// test can tell which process is sending and kill it mid-email.
import { openDatabase } from '@/db/client';
import { nobodyConnected, systemClock } from '@/notifications/context';
import { createMailer } from '@/platform/mailer';
import { startNotifications } from '@/server/notifications';

async function main() {
  const { DATABASE_URL, DATA_DIR, SMTP_URL, NODE_NAME, LEASE_MS, AUTH_SECRET } = process.env;
  const database = DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: DATABASE_URL, poolSize: 5 })
    : await openDatabase({ kind: 'pglite', dataDir: DATA_DIR ?? '.data-test' });
  const name = NODE_NAME ?? 'notify-node';
  const smtp = new URL(SMTP_URL!);
  smtp.searchParams.set('name', name);
  startNotifications(
    {
      db: database.db,
      clock: systemClock,
      mailer: createMailer({ smtpUrl: smtp.toString(), outboxDir: '/nonexistent', from: 'test@school.test' }),
      presence: nobodyConnected,
      appUrl: 'http://localhost:3000',
      secret: AUTH_SECRET ?? 'x'.repeat(32),
      emailDelayMs: 0,
    },
    { planEveryMs: 200, pollMs: 200, leaseMs: Number(LEASE_MS ?? 2_000), workerId: name },
  );
  // The machinery's timers never hold a process open (a server's sockets do): this one waits to be killed.
  setInterval(() => undefined, 60_000);
  console.log('LISTENING 0');
}

void main();
