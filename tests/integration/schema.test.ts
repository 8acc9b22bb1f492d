// The migrations apply on PGlite and on Postgres (onto an older schema with data too), and the
// constraints of the data model hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { migrateDatabase, MIGRATIONS_FOLDER } from '@/db/migrate';
import {
  messageEvents,
  messageParticipants,
  messageReadReceipts,
  messageThreads,
  messages,
  messageAttachments,
} from '@/db/schema';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { currentPosition } from '@/messaging/message-log';
import { sendMessage } from '@/messaging/send-message';
import { createDirectPair, createThread, createUser } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

/** The database error behind drizzle's wrapper (node-postgres and PGlite both carry a SQLSTATE code). */
async function sqlState(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
  return undefined;
}

describe.each(dbKinds())('data model on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.dispose());

  it('creates every table of the guide and the ones it assumes', async () => {
    const rows = await t.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = (rows as unknown as { rows: Array<{ table_name: string }> }).rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        'message_threads',
        'message_participants',
        'messages',
        'message_read_receipts',
        'message_attachments',
        'users',
        'classes',
        'class_instructors',
        'class_enrollments',
        'sessions',
        'accounts',
        'verifications',
      ]),
    );
  });

  it('has the guide indexes', async () => {
    const rows = await t.db.execute(sql`select indexname from pg_indexes where schemaname = 'public'`);
    const names = (rows as unknown as { rows: Array<{ indexname: string }> }).rows.map((r) => r.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        'idx_messages_thread_created',
        'idx_participants_user_thread',
        'idx_read_receipts_message_user',
      ]),
    );
  });

  it('keeps no GIN pending list on the search index, so no send pays for merging one', async () => {
    const rows = await t.db.execute(
      sql`select reloptions from pg_class where relname = 'idx_messages_search'`,
    );
    const [row] = (rows as unknown as { rows: Array<{ reloptions: string[] | string | null }> }).rows;
    expect(String(row?.reloptions)).toContain('fastupdate=false');
  });

  it('applying the migrations again is a no-op', async () => {
    await expect(migrateDatabase(t)).resolves.toBeUndefined();
  });

  it('moves an existing change feed to the sequencer: positioned rows keep their place, new ones follow', async () => {
    // A database at the migration before the sequencer, with a feed of three positioned changes.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-migrations-'));
    const old = await createTestDatabase(kind, { migrate: false });
    try {
      fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = path.join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
      const before = journal.entries.findIndex((e) => e.tag === '0005_message_events_sequencer');
      expect(before).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, before);
      fs.writeFileSync(journalPath, JSON.stringify(journal));
      await migrateDatabase(old, folder);

      const { student, thread } = await createDirectPair(old.db);
      for (let seq = 1; seq <= 3; seq++) {
        await old.db.execute(sql`
          with m as (
            insert into messages (id, thread_id, sender_id, content, seq)
            values (${`legacy-${seq}-${thread.id}`}, ${thread.id}, ${student.id}, ${`legacy ${seq}`}, ${seq})
            returning id
          )
          insert into message_events (pos, thread_id, message_id, kind) select ${seq}, ${thread.id}, id, 'created' from m`);
      }
      await old.db.execute(sql`update message_threads set last_message_seq = 3 where id = ${thread.id}`);
      await old.db.execute(sql`insert into message_event_counter (id, pos) values (1, 3)`);

      await migrateDatabase(old);
      const feed = () =>
        old.db
          .select({ id: messageEvents.id, pos: messageEvents.pos })
          .from(messageEvents)
          .orderBy(asc(messageEvents.id));
      expect(await feed()).toEqual([1, 2, 3].map((n) => ({ id: n, pos: n })));

      // A send appends without a position, after the old rows; a pass numbers it next.
      const sent = await sendMessage(
        { db: old.db },
        { threadId: thread.id, userId: student.id, content: 'new' },
      );
      expect((await feed()).at(-1)).toEqual({ id: 4, pos: null });
      const entries = await sequenceFeed({ db: old.db });
      expect(entries.map((e) => [e.position, e.kind, e.message.id])).toEqual([
        [4, 'created', sent.message.id],
      ]);
      expect(await currentPosition(old.db)).toBe(4);
    } finally {
      await old.dispose();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rejects a duplicate participant', async () => {
    const { student: b, thread } = await createDirectPair(t.db);
    expect(
      await sqlState(t.db.insert(messageParticipants).values({ threadId: thread.id, userId: b.id })),
    ).toBe('23505');
  });

  it('rejects a second DIRECT thread for the same pair', async () => {
    const a = await createUser(t.db, { role: 'INSTRUCTOR' });
    const b = await createUser(t.db);
    await createThread(t.db, { type: 'DIRECT', createdById: a.id, participantIds: [b.id] });
    expect(
      await sqlState(createThread(t.db, { type: 'DIRECT', createdById: b.id, participantIds: [a.id] })),
    ).toBe('23505');
  });

  it('cascades a thread delete to participants, messages, receipts and attachments', async () => {
    const { instructor: a, student: b, thread } = await createDirectPair(t.db);
    const { message } = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: a.id, content: 'hello' },
    );
    await t.db.insert(messageReadReceipts).values({ messageId: message.id, userId: b.id });
    await t.db.insert(messageAttachments).values({
      messageId: message.id,
      filename: 'notes.pdf',
      fileUrl: '/files/notes.pdf',
      fileSize: 1024,
      mimeType: 'application/pdf',
    });

    await t.db.delete(messageThreads).where(eq(messageThreads.id, thread.id));

    const left = await Promise.all([
      t.db
        .select({ n: count() })
        .from(messageParticipants)
        .where(eq(messageParticipants.threadId, thread.id)),
      t.db.select({ n: count() }).from(messages).where(eq(messages.threadId, thread.id)),
      t.db
        .select({ n: count() })
        .from(messageReadReceipts)
        .where(eq(messageReadReceipts.messageId, message.id)),
      t.db
        .select({ n: count() })
        .from(messageAttachments)
        .where(eq(messageAttachments.messageId, message.id)),
    ]);
    expect(left.map(([r]) => r?.n)).toEqual([0, 0, 0, 0]);
  });

  it('rejects a duplicate client message key from one sender, but not from two senders', async () => {
    const { instructor: a, student: b, thread } = await createDirectPair(t.db);
    const row = (senderId: string, seq: number) => ({
      threadId: thread.id,
      senderId,
      content: 'hi',
      seq,
      clientMessageId: 'key-1',
    });
    await t.db.insert(messages).values(row(a.id, 1));
    expect(await sqlState(t.db.insert(messages).values(row(a.id, 2)))).toBe('23505');
    await expect(t.db.insert(messages).values(row(b.id, 3))).resolves.toBeDefined();
  });

  it('rejects a duplicate read receipt', async () => {
    const { instructor: a, student: b, thread } = await createDirectPair(t.db);
    const { message } = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: a.id, content: 'read me' },
    );
    await t.db.insert(messageReadReceipts).values({ messageId: message.id, userId: b.id });
    expect(
      await sqlState(t.db.insert(messageReadReceipts).values({ messageId: message.id, userId: b.id })),
    ).toBe('23505');
  });

  it('a CLASS thread needs a class', async () => {
    const a = await createUser(t.db, { role: 'INSTRUCTOR' });
    expect(await sqlState(t.db.insert(messageThreads).values({ type: 'CLASS', createdById: a.id }))).toBe(
      '23514',
    );
  });

  it('numbers messages per thread in order and moves the sender read pointer', async () => {
    const { instructor: a, student: b, thread } = await createDirectPair(t.db);
    const first = await sendMessage({ db: t.db }, { threadId: thread.id, userId: a.id, content: ' one ' });
    const second = await sendMessage({ db: t.db }, { threadId: thread.id, userId: b.id, content: 'two' });
    expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
    expect(first.message.content).toBe('one');
    const [pa] = await t.db
      .select()
      .from(messageParticipants)
      .where(and(eq(messageParticipants.threadId, thread.id), eq(messageParticipants.userId, a.id)));
    expect(pa?.lastReadSeq).toBe(1);
    expect(pa?.lastReadMessageId).toBe(first.message.id);
    const [th] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, thread.id));
    expect(th?.lastMessageAt?.toISOString()).toEqual(second.message.createdAt);
    expect(Date.parse(second.message.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.message.createdAt));
  });

  it('a retried send with the same client key returns the original, even when racing', async () => {
    const { instructor: a, thread } = await createDirectPair(t.db);
    const send = () =>
      sendMessage({ db: t.db }, { threadId: thread.id, userId: a.id, content: 'once', clientMessageId: 'k' });
    const results = await Promise.all([send(), send(), send(), send()]);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [n] = await t.db.select({ n: count() }).from(messages).where(eq(messages.threadId, thread.id));
    expect(n?.n).toBe(1);
    const [th] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, thread.id));
    expect(th?.lastMessageSeq).toBe(1);
  });

  it('rejects empty and oversized content without writing', async () => {
    const { instructor: a, thread } = await createDirectPair(t.db);
    await expect(
      sendMessage({ db: t.db }, { threadId: thread.id, userId: a.id, content: '   ' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
    });
    await expect(
      sendMessage({ db: t.db }, { threadId: thread.id, userId: a.id, content: 'x'.repeat(10_001) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const [n] = await t.db.select({ n: count() }).from(messages).where(eq(messages.threadId, thread.id));
    expect(n?.n).toBe(0);
  });
});
