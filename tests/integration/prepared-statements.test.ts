// Named statements on PostgreSQL (src/db/prepared-statements.ts): a query shape is parsed and
// planned once per connection, what should stay planned per call stays unnamed, and a prepared
// statement keeps working when its table gains a column (a rolling deploy's migration).
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { createStatementNamer } from '@/db/prepared-statements';
import { users } from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { createDirectPair } from '../factories';
import { createTestDatabase, type TestDatabase } from '../support/db';

describe('which statements are named', () => {
  const namer = createStatementNamer(3);

  it('names a parameterised shape, the same text always the same name', () => {
    const a = namer.nameFor('select "id" from "users" where "users"."id" = $1');
    expect(a).toMatch(/^cm_[A-Za-z0-9_-]{24}$/);
    expect(namer.nameFor('select "id" from "users" where "users"."id" = $1')).toBe(a);
    expect(namer.nameFor('select "email" from "users" where "users"."id" = $1')).not.toBe(a);
  });

  it('leaves full-text search, analytics and `*` results to be planned per call', () => {
    const fresh = createStatementNamer();
    for (const text of [
      'select id from messages m where m.search_vector @@ $1',
      'select ts_rank(v, $1) from t',
      'select * from analytics_thread_hours where viewer_id = $1',
      'update message_threads set x = $1 returning *',
      'select b.*, $1 from bumped b',
      'select * from users where id = $1',
    ])
      expect(fresh.nameFor(text), text).toBeUndefined();
    expect(fresh.nameFor('select count(*) from users where id = $1')).toBeDefined();
  });

  it('stops naming new shapes past its cap (a list of ids makes one shape per length)', () => {
    expect(namer.nameFor('select 1 where $1 = 1')).toBeDefined();
    expect(namer.nameFor('select 2 where $1 = 1')).toBeUndefined();
    // the shapes it already named keep their names
    expect(namer.nameFor('select "id" from "users" where "users"."id" = $1')).toBeDefined();
  });
});

describe.runIf(!!process.env.DATABASE_URL)('named statements on PostgreSQL', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await t?.dispose();
  });

  /** The statements the connection that runs this has prepared (each pooled connection has its own). */
  async function preparedHere(): Promise<string[]> {
    return t.db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, 'probe'));
      const rows = await tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
      return (rows as unknown as { rows: Array<{ statement: string }> }).rows.map((r) => r.statement);
    });
  }

  it('a drizzle query is prepared on its connection, a search is not, and sends keep working', async () => {
    const statements = await preparedHere();
    expect(statements.some((s) => s.includes('from "users" where "users"."id" = $1'))).toBe(true);

    const { instructor, thread } = await createDirectPair(t.db);
    const ctx = { db: t.db };
    for (let i = 0; i < 8; i++) {
      const { message } = await sendMessage(ctx, {
        userId: instructor.id,
        threadId: thread.id,
        content: `hello ${i}`,
      });
      expect(message.seq).toBe(i + 1);
    }
    await queryRows(
      t.db,
      sql`select id from messages where search_vector @@ plainto_tsquery('simple', ${'hello'})`,
    );
    const all = await t.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
    const texts = (all as unknown as { rows: Array<{ statement: string }> }).rows.map((r) => r.statement);
    expect(texts.some((s) => s.includes('@@'))).toBe(false);
  });

  it('a send still works after its thread table gains a column (a rolling deploy’s migration)', async () => {
    const { student, thread } = await createDirectPair(t.db);
    const send = (content: string) =>
      sendMessage({ db: t.db }, { userId: student.id, threadId: thread.id, content });
    // Enough sends for every pooled connection's statement to be prepared (and past the custom plans).
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(`before ${i}`)));
    await t.db.execute(sql`alter table message_threads add column prepared_probe text`);
    await t.db.execute(sql`alter table users add column prepared_probe text`);
    try {
      const after = await Promise.all(Array.from({ length: 12 }, (_, i) => send(`after ${i}`)));
      expect(after.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => 13 + i),
      );
      const named = await queryRows<{ id: string }>(t.db, sql`select id from users where id = ${student.id}`);
      expect(named).toEqual([{ id: student.id }]);
    } finally {
      await t.db.execute(sql`alter table message_threads drop column prepared_probe`);
      await t.db.execute(sql`alter table users drop column prepared_probe`);
    }
  });
});
