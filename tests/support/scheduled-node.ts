// A scheduled-send worker process for tests: the app's poller (src/server/scheduled-send.ts) on
// DATABASE_URL or an embedded DATA_DIR, claiming CLAIM_LIMIT rows a pass and taking claims older
// than STALE_CLAIM_MS as a dead process's. Prints `LISTENING 0` once it runs, and `SENT <key>` for
// each message it creates, right after the commit; it then stalls for SEND_HOLD_MS, before the row
// is recorded as sent: the window a test kills it in (the message stored, its row still `sending`).
import fs from 'node:fs';
import { openDatabase } from '@/db/client';
import type { EventPublisher } from '@/messaging/events';
import { startScheduledSend } from '@/server/scheduled-send';

async function main() {
  const { DATABASE_URL, DATA_DIR, SEND_HOLD_MS, STALE_CLAIM_MS, CLAIM_LIMIT } = process.env;
  const database = DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: DATABASE_URL, poolSize: 5 })
    : await openDatabase({ kind: 'pglite', dataDir: DATA_DIR ?? '.data-test' });
  const stall = new Int32Array(new SharedArrayBuffer(4));
  const events: EventPublisher = {
    publish(event) {
      if (event.type !== 'message.created') return;
      // Written synchronously, so the line is out before the stall (and before any kill).
      fs.writeSync(1, `SENT ${event.message.clientMessageId}\n`);
      // The whole process stands still, as one stuck mid-send would.
      Atomics.wait(stall, 0, 0, Number(SEND_HOLD_MS ?? 0));
    },
  };
  startScheduledSend(
    { db: database.db, events },
    {
      everyMs: 200,
      claim: { limit: Number(CLAIM_LIMIT ?? 50), staleClaimMs: Number(STALE_CLAIM_MS ?? 2_000) },
    },
  );
  // The job's timer never holds a process open: this one waits to be killed.
  setInterval(() => undefined, 60_000);
  console.log('LISTENING 0');
}

void main();
