// Message search (issue 15): matching (stems, phrases, exclusions, or, prefixes), each operator and
// its errors, the visibility rule it shares with the message pages, snippets as text with ranges,
// paging that holds while new matches arrive, and the REST routes (search, and a thread's page
// around a message) with their 400s, 401 and 429.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as searchRoute from '@/app/api/messages/search/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import * as sMessages from '@/app/api/user/messages/threads/[threadId]/messages/route';
import type { Class, MessageThread, User } from '@/db/schema';
import { removeEnrollment } from '@/classroom/enroll-student';
import { deleteMessage } from '@/messaging/delete-message';
import { editMessage } from '@/messaging/edit-message';
import { listMessages } from '@/messaging/list-messages';
import { searchMessages, ZSearchPage, type TSearchMessagesQuery } from '@/messaging/search-messages';
import { sendMessage } from '@/messaging/send-message';
import { AppError } from '@/platform/errors';
import { createMemoryRateLimiter } from '@/platform/rate-limit';
import { createClass, createThread, createUser, enrollStudent, uniqueSuffix } from '../factories';
import { call, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const DAY = 86_400_000;

describe.each(dbKinds())('message search on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let teacher: User;
  let sam: User;
  let lena: User;
  let outsider: User;
  let outsiderTeacher: User;
  let cls: Class;
  let direct: MessageThread;
  let classThread: MessageThread;
  let foreign: MessageThread;
  /** A word nobody else in this database writes. */
  let tag: string;

  const ctx = () => ({ db: t.db });
  const send = async (thread: MessageThread, from: User, content: string, createdAt?: Date) =>
    (await sendMessage(ctx(), { threadId: thread.id, userId: from.id, content, createdAt })).message;
  const search = (user: User, query: TSearchMessagesQuery) =>
    searchMessages(ctx(), { userId: user.id, query });
  const ids = async (user: User, query: TSearchMessagesQuery) =>
    (await search(user, query)).results.map((r) => r.message.id);
  async function failure(p: Promise<unknown>): Promise<AppError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected the search to be refused');
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db, { rateLimiter: createMemoryRateLimiter() });
    tag = `zq${uniqueSuffix().replace(/[^a-z0-9]/g, '')}`;
    teacher = await createUser(t.db, { role: 'INSTRUCTOR', name: `Maya Chen ${tag}` });
    sam = await createUser(t.db, { name: `Sam Rivera ${tag}` });
    lena = await createUser(t.db, { name: `Lena Novak ${tag}` });
    outsider = await createUser(t.db);
    outsiderTeacher = await createUser(t.db, { role: 'INSTRUCTOR' });
    cls = await createClass(t.db, { code: `ALG-${tag}`, instructors: [{ id: teacher.id }] });
    const other = await createClass(t.db, { instructors: [{ id: outsiderTeacher.id }] });
    for (const s of [sam, lena]) await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
    await enrollStudent(t.db, { classId: other.id, studentId: outsider.id });
    direct = await createThread(t.db, { type: 'DIRECT', createdById: teacher.id, participantIds: [sam.id] });
    classThread = await createThread(t.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: teacher.id,
      participantIds: [sam.id, lena.id],
      title: 'Algebra discussion',
    });
    foreign = await createThread(t.db, {
      type: 'DIRECT',
      createdById: outsiderTeacher.id,
      participantIds: [outsider.id],
    });
  });
  afterAll(async () => t?.dispose());

  describe('matching', () => {
    it('finds English word forms: "grades" finds "graded", and the exact word too', async () => {
      const m = await send(direct, teacher, `The quiz was graded yesterday ${tag}`);
      expect(await ids(sam, { q: `grades ${tag}` })).toEqual([m.id]);
      expect(await ids(sam, { q: `graded ${tag}` })).toEqual([m.id]);
      // The snippet marks the word form that matched.
      const [found] = (await search(sam, { q: `grades ${tag}` })).results;
      const { text, highlights } = found!.snippet;
      expect(highlights.map(([a, b]) => text.slice(a, b))).toEqual(['graded', tag]);
    });

    it('matches names, codes and words of other languages exactly (the simple configuration)', async () => {
      const m = await send(direct, sam, `Müller asked about CS101 and élèves ${tag}x1`);
      expect(await ids(teacher, { q: `cs101 ${tag}x1` })).toEqual([m.id]);
      expect(await ids(teacher, { q: `élèves ${tag}x1` })).toEqual([m.id]);
      expect(await ids(teacher, { q: `Müller ${tag}x1` })).toEqual([m.id]);
    });

    it('matches an exact phrase only in that order', async () => {
      const yes = await send(direct, teacher, `Please bring the rubric draft tomorrow ${tag}x2`);
      await send(direct, teacher, `The draft of the rubric is late ${tag}x2`);
      expect(await ids(sam, { q: `"rubric draft" ${tag}x2` })).toEqual([yes.id]);
    });

    it('excludes a -word, in either configuration', async () => {
      const keep = await send(direct, teacher, `Homework chapter four ${tag}x3`);
      await send(direct, teacher, `Homework chapter five graded ${tag}x3`);
      expect(await ids(sam, { q: `homework -grades ${tag}x3` })).toEqual([keep.id]);
      expect(await ids(sam, { q: `homework -five ${tag}x3` })).toEqual([keep.id]);
    });

    it('joins two words with or', async () => {
      const a = await send(direct, teacher, `Bring a calculator ${tag}x4`);
      const b = await send(direct, teacher, `Bring a protractor ${tag}x4`);
      await send(direct, teacher, `Bring nothing ${tag}x4`);
      expect(new Set(await ids(sam, { q: `${tag}x4 calculator or protractor` }))).toEqual(
        new Set([a.id, b.id]),
      );
    });

    it('matches the last word as a prefix, as the user types', async () => {
      const m = await send(direct, teacher, `The assignment is due ${tag}x5`);
      expect(await ids(sam, { q: `${tag}x5 assig` })).toEqual([m.id]);
      // Not a prefix once another word follows, nor under three letters.
      expect(await ids(sam, { q: `assig ${tag}x5` })).toEqual([]);
      expect(await ids(sam, { q: `${tag}x5 as` })).toEqual([]);
    });

    it('orders by relevance, newest first among equals, or by recency with sort=recent', async () => {
      const old = await send(direct, teacher, `${tag}x6 lab lab lab report`, new Date(Date.now() - 3 * DAY));
      const mid = await send(direct, teacher, `${tag}x6 lab notes`, new Date(Date.now() - 2 * DAY));
      const recent = await send(direct, teacher, `${tag}x6 lab notes again`);
      expect(await ids(sam, { q: `lab ${tag}x6` })).toEqual([old.id, recent.id, mid.id]);
      expect(await ids(sam, { q: `lab ${tag}x6`, sort: 'recent' })).toEqual([recent.id, mid.id, old.id]);
    });
  });

  describe('operators and parameters', () => {
    let fromSam: string;
    let fromTeacher: string;
    let inClass: string;
    let dated: string;
    let withFile: string;

    beforeAll(async () => {
      fromSam = (await send(direct, sam, `${tag}op question about sets`)).id;
      fromTeacher = (await send(direct, teacher, `${tag}op answer about sets`)).id;
      inClass = (await send(classThread, lena, `${tag}op sets in class`)).id;
      // A thread of its own: a thread's messages only move forward in time.
      const old = await createThread(t.db, {
        type: 'CLASS',
        classId: cls.id,
        createdById: teacher.id,
        participantIds: [sam.id, lena.id],
        createdAt: new Date('2024-03-01T00:00:00Z'),
      });
      dated = (await send(old, teacher, `${tag}op sets dated`, new Date('2024-03-10T12:00:00Z'))).id;
      withFile = (await send(classThread, teacher, `${tag}op sets with a file`)).id;
      await t.db
        .execute(sql`insert into message_attachments (message_id, filename, file_url, file_size, mime_type)
        values (${withFile}, 'sets.pdf', '/files/sets.pdf', 10, 'application/pdf')`);
    });

    const set = async (user: User, query: TSearchMessagesQuery) => new Set(await ids(user, query));

    it('from: a person by name, email, me or id', async () => {
      expect(await set(teacher, { q: `${tag}op from:sam` })).toEqual(new Set([fromSam]));
      expect(await set(teacher, { q: `${tag}op from:"Sam Rivera"` })).toEqual(new Set([fromSam]));
      expect(await set(teacher, { q: `${tag}op from:${sam.email}` })).toEqual(new Set([fromSam]));
      expect(await set(sam, { q: `${tag}op from:me` })).toEqual(new Set([fromSam]));
      // Whole words of a name: not the start of one.
      expect(await set(teacher, { q: `${tag}op from:sa` })).toEqual(new Set());
      expect(await set(teacher, { q: `${tag}op`, from: lena.id })).toEqual(new Set([inClass]));
    });

    it('in: a thread, also as the guide’s threadId parameter', async () => {
      expect(await set(teacher, { q: `${tag}op in:${direct.id}` })).toEqual(new Set([fromSam, fromTeacher]));
      expect(await set(teacher, { q: `${tag}op`, threadId: direct.id })).toEqual(
        new Set([fromSam, fromTeacher]),
      );
    });

    it('class: a class code, and type:direct|class', async () => {
      const inCls = new Set([inClass, dated, withFile]);
      expect(await set(teacher, { q: `${tag}op class:${cls.code.toLowerCase()}` })).toEqual(inCls);
      expect(await set(teacher, { q: `${tag}op type:class` })).toEqual(inCls);
      expect(await set(teacher, { q: `${tag}op`, type: 'direct' })).toEqual(new Set([fromSam, fromTeacher]));
    });

    it('before: and after: UTC days', async () => {
      expect(await set(teacher, { q: `${tag}op before:2024-03-11` })).toEqual(new Set([dated]));
      expect(await set(teacher, { q: `${tag}op before:2024-03-10` })).toEqual(new Set());
      expect(await set(teacher, { q: `${tag}op after:2024-03-09 before:2024-03-11` })).toEqual(
        new Set([dated]),
      );
      expect((await set(teacher, { q: `${tag}op after:2024-03-10` })).has(dated)).toBe(false);
    });

    it('has:attachment', async () => {
      expect(await set(teacher, { q: `${tag}op has:attachment` })).toEqual(new Set([withFile]));
    });

    it('filters alone, without words, list the newest first', async () => {
      const page = await search(teacher, { q: `from:${lena.email}` });
      expect(page.results.map((r) => r.message.id)).toContain(inClass);
      expect(page.results[0]?.snippet.highlights).toEqual([]);
    });

    it('refuses an unknown operator, naming it', async () => {
      const err = await failure(search(teacher, { q: `${tag}op color:blue` }));
      expect(err.status).toBe(400);
      expect(err.message).toContain('color:');
      expect(err.fields?.q?.[0]).toContain('color:');
    });

    it('refuses malformed operator values with fields', async () => {
      for (const [q, field] of [
        [`${tag}op before:yesterday`, 'before'],
        [`${tag}op after:2024-02-30`, 'after'],
        [`${tag}op type:group`, 'type'],
        [`${tag}op has:link`, 'has'],
        [`${tag}op in:not*an*id`, 'in'],
        [`${tag}op class:"a b"`, 'class'],
      ] as const) {
        const err = await failure(search(teacher, { q }));
        expect({ q, status: err.status, fields: Object.keys(err.fields ?? {}) }).toEqual({
          q,
          status: 400,
          fields: [field],
        });
      }
    });

    it('leaves URLs and times as words', async () => {
      const m = await send(direct, teacher, `${tag}op meet at 10:30 see https://example.edu/x`);
      expect(await ids(sam, { q: `${tag}op 10:30 https://example.edu/x` })).toEqual([m.id]);
    });
  });

  describe('visibility (the rule of verifyMessageAccess)', () => {
    it('never finds a word of a thread the caller is not in', async () => {
      const word = `${tag}foreign`;
      await send(foreign, outsiderTeacher, `secret ${word}`);
      expect(await ids(outsider, { q: word })).toHaveLength(1);
      for (const user of [teacher, sam, lena]) expect(await ids(user, { q: word })).toEqual([]);
    });

    it('finds nothing of a class once the student has left it', async () => {
      const word = `${tag}leave`;
      const student = await createUser(t.db);
      await enrollStudent(t.db, { classId: cls.id, studentId: student.id });
      const thread = await createThread(t.db, {
        type: 'CLASS',
        classId: cls.id,
        createdById: teacher.id,
        participantIds: [student.id],
      });
      await send(thread, teacher, `homework ${word}`);
      expect(await ids(student, { q: word })).toHaveLength(1);
      await removeEnrollment(ctx(), { classId: cls.id, studentId: student.id });
      expect(await ids(student, { q: word })).toEqual([]);
      // The same answer the message pages give.
      await expect(listMessages(ctx(), { userId: student.id, threadId: thread.id })).rejects.toMatchObject({
        status: 404,
      });
    });

    it('never finds a deleted message', async () => {
      const word = `${tag}deleted`;
      const m = await send(direct, sam, `oops ${word}`);
      expect(await ids(teacher, { q: word })).toEqual([m.id]);
      await deleteMessage(ctx(), { userId: sam.id, messageId: m.id });
      expect(await ids(teacher, { q: word })).toEqual([]);
    });

    it('finds an edited message by its new words only', async () => {
      const m = await send(direct, sam, `first ${tag}before`);
      await editMessage(ctx(), { userId: sam.id, messageId: m.id, input: { content: `second ${tag}after` } });
      expect(await ids(teacher, { q: `${tag}before` })).toEqual([]);
      const [hit] = (await search(teacher, { q: `${tag}after` })).results;
      expect(hit?.message).toMatchObject({ id: m.id, content: `second ${tag}after` });
    });
  });

  describe('results', () => {
    it('carries the thread as the caller sees it and a snippet with ranges, markup kept as text', async () => {
      const content = `<script>alert(1)</script> <img src=x onerror=alert(2)> the ${tag}xss rubric`;
      const m = await send(classThread, teacher, content);
      const page = ZSearchPage.parse(await search(sam, { q: `${tag}xss rubric` }));
      const [hit] = page.results;
      expect(hit?.message).toMatchObject({ id: m.id, content, threadId: classThread.id });
      expect(hit?.thread).toEqual({
        id: classThread.id,
        title: 'Algebra discussion',
        type: 'CLASS',
        class: { id: cls.id, name: cls.name, code: cls.code },
      });
      const { text, highlights } = hit!.snippet;
      expect(text).toContain('alert(1)</script> <img src=x onerror=alert(2)>');
      expect(highlights.map(([a, b]) => text.slice(a, b))).toEqual([`${tag}xss`, 'rubric']);

      const [dm] = (await search(sam, { q: `graded ${tag}` })).results;
      expect(dm?.thread).toMatchObject({ id: direct.id, type: 'DIRECT', title: teacher.name, class: null });
    });

    it('pages without repeats or gaps while new matches arrive', async () => {
      const word = `${tag}paging`;
      const base = Date.now() - DAY;
      const original: string[] = [];
      for (let i = 0; i < 9; i++) {
        // Varying relevance (1–3 occurrences) and time.
        const words = Array.from({ length: 1 + (i % 3) }, () => word).join(' ');
        original.push((await send(direct, teacher, `${words} item ${i}`, new Date(base + i * 1000))).id);
      }
      for (const sort of ['relevance', 'recent'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await search(sam, { q: word, limit: 2, sort, cursor });
          seen.push(...page.results.map((r) => r.message.id));
          cursor = page.nextCursor ?? undefined;
          // New matches, of every relevance, keep arriving between pages.
          await send(direct, teacher, `${word} ${word} ${word} late ${sort} ${pages}`);
          await send(direct, teacher, `${word} late ${sort} ${pages}`);
          pages++;
        } while (cursor && pages < 40);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(expect.arrayContaining(original));
      }
    });

    it('refuses an empty query without filters, a query over 500 characters and a foreign cursor', async () => {
      for (const q of ['', '   ', '-only']) {
        expect((await failure(search(sam, { q }))).fields).toHaveProperty('q');
      }
      expect((await failure(search(sam, { q: 'a'.repeat(501) }))).fields).toHaveProperty('q');
      expect((await failure(search(sam, { q: 'rubric', cursor: 'bm90IGEgY3Vyc29y' }))).fields).toHaveProperty(
        'cursor',
      );
    });
  });

  describe('age bands: the last 30 days, then the last year, then older', () => {
    let word: string;
    const at: Record<string, string> = {};

    beforeAll(async () => {
      word = `${tag}band`;
      // A thread of its own, two years old: a thread's messages only move forward in time.
      const thread = await createThread(t.db, {
        type: 'CLASS',
        classId: cls.id,
        createdById: teacher.id,
        participantIds: [sam.id],
        createdAt: new Date(Date.now() - 800 * DAY),
      });
      const plan: Array<[string, number, number]> = [
        ['d500', 500, 3],
        ['d100strong', 100, 3],
        ['d40weak', 40, 1],
        ['d10strong', 10, 3],
        ['nowWeak', 0, 1],
      ];
      for (const [name, days, times] of plan) {
        const content = `${Array.from({ length: times }, () => word).join(' ')} ${name}`;
        const createdAt = days ? new Date(Date.now() - days * DAY) : undefined;
        at[name] = (await send(thread, teacher, content, createdAt)).id;
      }
    });

    it('ranks by relevance within a band, and a newer band comes first', async () => {
      expect(await ids(sam, { q: word })).toEqual([
        at.d10strong,
        at.nowWeak,
        at.d100strong,
        at.d40weak,
        at.d500,
      ]);
      expect((await search(sam, { q: word })).results.map((r) => r.age)).toEqual([
        'month',
        'month',
        'year',
        'year',
        'older',
      ]);
      expect(await ids(sam, { q: word, sort: 'recent' })).toEqual([
        at.nowWeak,
        at.d10strong,
        at.d40weak,
        at.d100strong,
        at.d500,
      ]);
    });

    it('pages across the bands without repeats or gaps, one or two results at a time', async () => {
      for (const sort of ['relevance', 'recent'] as const) {
        const whole = await ids(sam, { q: word, sort });
        for (const limit of [1, 2]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await search(sam, { q: word, sort, limit, cursor });
            seen.push(...page.results.map((r) => r.message.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor && seen.length < 20);
          expect(seen).toEqual(whole);
        }
      }
    });

    it('narrows every band by before: and after:', async () => {
      const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
      expect(await ids(sam, { q: `${word} after:${day(200)}` })).toEqual([
        at.d10strong,
        at.nowWeak,
        at.d100strong,
        at.d40weak,
      ]);
      expect(await ids(sam, { q: `${word} before:${day(20)}` })).toEqual([
        at.d100strong,
        at.d40weak,
        at.d500,
      ]);
      expect(await ids(sam, { q: word, before: day(70), after: day(200) })).toEqual([at.d100strong]);
    });

    it('refuses a cursor naming a band that does not exist', async () => {
      const forged = Buffer.from(JSON.stringify(['recent', null, Date.now(), 'x', 7, Date.now()])).toString(
        'base64url',
      );
      expect((await failure(search(sam, { q: word, sort: 'recent', cursor: forged }))).fields).toHaveProperty(
        'cursor',
      );
    });

    it('still reads a cursor handed out before the bands existed', async () => {
      const [first] = (await search(sam, { q: word, sort: 'recent', limit: 1 })).results;
      const old = Buffer.from(
        JSON.stringify(['recent', null, Date.parse(first!.message.createdAt), first!.message.id]),
      ).toString('base64url');
      expect(
        (await search(sam, { q: word, sort: 'recent', limit: 1, cursor: old })).results[0]?.message.id,
      ).toBe(at.d10strong);
    });
  });

  describe('GET /api/messages/search', () => {
    const get = (query: Record<string, string>, cookie?: string) =>
      call(searchRoute.GET, '/api/messages/search', { query, cookie });

    it('serves both roles, each their own messages, and 401 without a session', async () => {
      const word = `${tag}route`;
      const m = await send(direct, sam, `route check ${word}`);
      for (const user of [teacher, sam]) {
        const res = await get({ q: word }, await api.cookieFor(user));
        expect(res.status).toBe(200);
        expect(ZSearchPage.parse(res.body.data).results.map((r) => r.message.id)).toEqual([m.id]);
      }
      const none = await get({ q: word }, await api.cookieFor(lena));
      expect(none.body.data.results).toEqual([]);
      expect((await get({ q: word })).status).toBe(401);
    });

    it('answers bad input with a 400 naming the field, never a 500', async () => {
      const cookie = await api.cookieFor(lena);
      for (const [query, field] of [
        [{ q: '' }, 'q'],
        [{ q: 'x'.repeat(501) }, 'q'],
        [{ q: 'x', limit: '0' }, 'limit'],
        [{ q: 'x', before: 'soon' }, 'before'],
        [{ q: 'x', type: 'group' }, 'type'],
        [{ q: 'x', sort: 'oldest' }, 'sort'],
        [{ q: 'x nope:1' }, 'q'],
        [{ q: 'x', cursor: '%%%' }, 'cursor'],
        [{ q: 'x\u0000' }, 'q'],
      ] as const) {
        const res = await get(query, cookie);
        expect({ query, status: res.status, code: res.body.error.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(Object.keys(res.body.error.fields)).toContain(field);
      }
    });

    it('allows 60 searches a minute per user, then 429 with Retry-After', async () => {
      const user = await createUser(t.db);
      const cookie = await api.cookieFor(user);
      for (let i = 0; i < 60; i++) expect((await get({ q: `word${i}` }, cookie)).status).toBe(200);
      const res = await get({ q: 'one more' }, cookie);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Another user's budget is their own.
      expect((await get({ q: 'word' }, await api.cookieFor(lena))).status).toBe(200);
    });
  });

  describe('GET …/threads/{threadId}/messages?around=', () => {
    let long: MessageThread;
    let all: string[];

    beforeAll(async () => {
      long = await createThread(t.db, { type: 'DIRECT', createdById: teacher.id, participantIds: [lena.id] });
      await t.db.execute(sql`
        insert into messages (thread_id, sender_id, content, seq, created_at)
        select ${long.id}, ${lena.id}, 'line ' || s, s, now() - interval '1 day' + s * interval '1 second'
        from generate_series(1, 120) s`);
      await t.db.execute(sql`update message_threads set last_message_seq = 120 where id = ${long.id}`);
      const rows = await t.db.execute<{ id: string }>(
        sql`select id from messages where thread_id = ${long.id} order by seq`,
      );
      all = (rows as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id);
    });

    it('centres the page on the message, with both cursors, for instructors and students', async () => {
      for (const [route, user, prefix] of [
        [iMessages.GET, teacher, '/api/instructor/messages'],
        [sMessages.GET, lena, '/api/user/messages'],
      ] as const) {
        const target = all[60]!;
        const res = await call(route, `${prefix}/threads/${long.id}/messages`, {
          params: { threadId: long.id },
          query: { around: target, limit: '11' },
          cookie: await api.cookieFor(user),
        });
        expect(res.status).toBe(200);
        const page = res.body.data;
        expect(page.messages.map((m: { id: string }) => m.id)).toEqual(all.slice(55, 66));
        expect(page).toMatchObject({ hasOlder: true, hasNewer: true });
        // The cursors continue exactly where the page ends.
        const older = await listMessages(ctx(), {
          userId: user.id,
          threadId: long.id,
          query: { before: page.olderCursor, limit: 5 },
        });
        expect(older.messages.map((m) => m.id)).toEqual(all.slice(50, 55));
        const newer = await listMessages(ctx(), {
          userId: user.id,
          threadId: long.id,
          query: { after: page.newerCursor, limit: 5 },
        });
        expect(newer.messages.map((m) => m.id)).toEqual(all.slice(66, 71));
      }
    });

    it('stops at either end, and a message of another thread is 404', async () => {
      const first = await listMessages(ctx(), {
        userId: lena.id,
        threadId: long.id,
        query: { around: all[0], limit: 5 },
      });
      expect(first.messages.map((m) => m.id)).toEqual(all.slice(0, 3));
      expect(first).toMatchObject({ hasOlder: false, hasNewer: true });
      const res = await call(sMessages.GET, `/api/user/messages/threads/${long.id}/messages`, {
        params: { threadId: long.id },
        query: { around: (await send(direct, sam, 'elsewhere')).id },
        cookie: await api.cookieFor(lena),
      });
      expect(res.status).toBe(404);
      const both = await call(sMessages.GET, `/api/user/messages/threads/${long.id}/messages`, {
        params: { threadId: long.id },
        query: { around: all[3]!, before: 'x' },
        cookie: await api.cookieFor(lena),
      });
      expect(both.status).toBe(400);
    });
  });
});
