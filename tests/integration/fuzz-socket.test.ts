// Malformed events on a real Socket.IO connection (socket.io-client against the in-process realtime
// server, on PGlite and on Postgres when DATABASE_URL is set): every client event, with payloads of
// the wrong type, size and encoding, valid ids of someone else's, and no payload or no ack at all.
// Every event that asks for an answer gets one, never INTERNAL; the socket stays connected; a
// refused send stores nothing; and a good send afterwards still goes through and is delivered.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages } from '@/db/schema';
import type { ClientToServerEvents } from '@/realtime/contract';
import { createDirectPair } from '../factories';
import { dbKinds } from '../support/db';
import { BAD_TEXT, generator, JUNK_STRINGS, JUNK_VALUES, type Gen } from '../support/fuzz';
import { useRealtimeSuite } from '../support/realtime-suite';

const EVENTS: Array<keyof ClientToServerEvents> = [
  'join-thread',
  'leave-thread',
  'send-message',
  'typing-start',
  'typing-stop',
  'mark-read',
];
const PAYLOADS_PER_EVENT = 40;

describe.each(dbKinds())('malformed socket events on %s', (kind) => {
  const suite = useRealtimeSuite(kind);

  it('are answered with an error code, never INTERNAL, and leave the socket usable and nothing stored', async () => {
    const db = suite.database.db;
    const { student, instructor, thread } = await createDirectPair(db);
    const foreign = await createDirectPair(db);
    const ids = [thread.id, foreign.thread.id, student.id, randomUUID()];
    const c = await suite.connect(student);
    const teacher = await suite.connect(instructor);
    const storedIn = async (threadId: string) =>
      (await db.select({ n: count() }).from(messages).where(eq(messages.threadId, threadId)))[0]!.n;
    const before = { mine: await storedIn(thread.id), theirs: await storedIn(foreign.thread.id) };

    const g = generator(kind.length * 31);
    const field = (gen: Gen) =>
      gen.chance(0.3) ? gen.pick(ids) : gen.chance(0.2) ? gen.pick(BAD_TEXT) : gen.pick(JUNK_VALUES);
    const payload = (gen: Gen): unknown => {
      if (gen.chance(0.25)) return gen.pick([...JUNK_VALUES, ...JUNK_STRINGS]);
      return {
        threadId: field(gen),
        // A send that would be valid but for one field, most of the time.
        content: gen.chance(0.5) ? gen.pick(['', ' ', ...BAD_TEXT, 'x'.repeat(25_000)]) : field(gen),
        clientMessageId: gen.chance(0.5) ? randomUUID() : field(gen),
        ...(gen.chance(0.3) ? { messageId: field(gen) } : {}),
        ...(gen.chance(0.3) ? { attachmentIds: gen.pick([[field(gen)], field(gen)]) } : {}),
        ...(gen.chance(0.2) ? { mentionIds: gen.pick([[field(gen)], field(gen)]) } : {}),
        ...(gen.chance(0.2) ? { replyToId: field(gen) } : {}),
      };
    };

    let acceptedSends = 0;
    for (const event of EVENTS) {
      for (let i = 0; i < PAYLOADS_PER_EVENT; i++) {
        const sent = payload(g);
        const answer = (await c.socket
          .timeout(5_000)
          .emitWithAck(event as 'join-thread', sent as string)) as {
          error?: { code?: string };
          data?: unknown;
        };
        const label = `${event} ${JSON.stringify(sent)?.slice(0, 200)}`;
        expect(answer.error ?? answer.data, label).toBeDefined();
        if (event === 'send-message' && answer.data) acceptedSends++;
        if (answer.error) {
          expect(typeof answer.error.code, label).toBe('string');
          expect(answer.error.code, label).not.toBe('INTERNAL');
        }
      }
      // Without an ack, or without a payload: nothing to answer, and nothing breaks.
      c.socket.emit(event as 'join-thread', g.pick(JUNK_STRINGS));
      (c.socket.emit as (event: string) => void)(event);
    }
    expect(c.socket.connected).toBe(true);

    // Nothing went into someone else's thread, and no refused send was stored in one's own: every
    // message stored now is one whose send was acknowledged with data.
    expect(await storedIn(foreign.thread.id)).toBe(before.theirs);
    expect(await storedIn(thread.id)).toBe(before.mine + acceptedSends);

    // The socket still sends, and the other side still hears it.
    const heard = new Promise<string>((resolve) =>
      teacher.on('new-message', (p) => p.message.content === 'still here' && resolve(p.message.id)),
    );
    const good = await c.send({ threadId: thread.id, content: 'still here' });
    expect(await heard).toBe(good.message.id);
    expect(await storedIn(thread.id)).toBe(before.mine + acceptedSends + 1);
  });
});
