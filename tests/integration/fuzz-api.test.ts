// Malformed input against every operation the API declares (generated from the declarations, so a
// new route is covered by itself), on PGlite and (when DATABASE_URL is set) Postgres: path
// parameters, query strings and bodies of the wrong type, size, encoding or shape, from a seeded
// generator that also mixes in valid ids and enum values so that some calls get past validation.
// Every answer is below 500 and is JSON; every refusal carries an error code; and a refused write
// leaves every table a user can see exactly as it was.
import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_OPERATIONS } from '@/app/api/_classroom/operations';
import { ANY_ROLE_OPERATIONS, OPERATIONS } from '@/app/api/_messaging/operations';
import { SETTINGS_OPERATIONS } from '@/app/api/_notifications/operations';
import * as attachmentRoute from '@/app/api/attachments/[attachmentId]/route';
import * as thumbnailRoute from '@/app/api/attachments/[attachmentId]/thumbnail/route';
import { queryRows } from '@/db/client';
import {
  classEnrollments,
  classes,
  messageAttachments,
  messageBatches,
  messageBatchRecipients,
  messageMentions,
  messageParticipants,
  messageReactions,
  messageReadReceipts,
  messages,
  messageThreads,
  messageVersions,
  notificationPreferences,
  pushSubscriptions,
  scheduledMessages,
  uploads,
  users,
  type User,
} from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { toRouteHandler, type Operation } from '@/server/operation';
import { createDirectPair, createThread } from '../factories';
import { BASE, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import {
  BAD_TEXT,
  generator,
  JUNK_STRINGS,
  JUNK_VALUES,
  MALFORMED_BODIES,
  MODES,
  type Gen,
  type Mode,
} from '../support/fuzz';

/** Calls per operation; each is a different draw of the generator. */
const CALLS_PER_OPERATION = 20;

/** What a user can see or change: a refused write must leave all of it as it was. */
const USER_STATE: PgTable[] = [
  users,
  classes,
  classEnrollments,
  messageThreads,
  messageParticipants,
  messages,
  messageReadReceipts,
  uploads,
  messageAttachments,
  notificationPreferences,
  pushSubscriptions,
  messageBatches,
  messageBatchRecipients,
  messageVersions,
  messageReactions,
  messageMentions,
  scheduledMessages,
];

interface JsonProp {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  items?: JsonProp;
  anyOf?: JsonProp[];
  oneOf?: JsonProp[];
  properties?: Record<string, JsonProp>;
  required?: string[];
}
type Shape = Array<{ name: string; prop: JsonProp; required: boolean }>;

/** The fields of an object schema (of one of its variants, for a union), as its JSON Schema says. */
function shapeOf(g: Gen, schema: z.ZodType | undefined): Shape {
  if (!schema) return [];
  let json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonProp;
  const variants = json.anyOf ?? json.oneOf;
  if (!json.properties && variants?.length) json = g.pick(variants);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    prop,
    required: required.has(name),
  }));
}

describe.each(dbKinds())('malformed input on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let instructor: User;
  let student: User;
  /** Ids worth trying in a path or a field: the caller's own, someone else's, and none. */
  let ids: string[];

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db);
    const pair = await createDirectPair(t.db);
    instructor = pair.instructor;
    student = pair.student;
    const classThread = await createThread(t.db, {
      type: 'CLASS',
      createdById: instructor.id,
      participantIds: [student.id],
      classId: pair.cls.id,
      title: 'Week 1',
    });
    const foreign = await createDirectPair(t.db);
    const mine = await sendMessage(
      { db: t.db },
      { threadId: pair.thread.id, userId: student.id, content: 'hi' },
    );
    const theirs = await sendMessage(
      { db: t.db },
      { threadId: foreign.thread.id, userId: foreign.student.id, content: 'not yours' },
    );
    ids = [
      pair.thread.id,
      classThread.id,
      foreign.thread.id,
      mine.message.id,
      theirs.message.id,
      pair.cls.id,
      foreign.cls.id,
      student.id,
      instructor.id,
      foreign.student.id,
    ];
  });
  afterAll(async () => {
    await t?.dispose();
  });

  /** One digest of every user-visible table. */
  async function fingerprint(): Promise<string> {
    const parts = USER_STATE.map(
      (table) =>
        sql`(select coalesce(md5(string_agg(x::text, '|' order by x::text)), '') from ${sql.identifier(getTableName(table))} x)`,
    );
    const [row] = await queryRows<{ digest: string }>(
      t.db,
      sql`select md5(concat_ws(',', ${sql.join(parts, sql`, `)})) as digest`,
    );
    return row!.digest;
  }

  /**
   * A value the schema would take, so that a call can get past validation to the use case;
   * undefined leaves the field out (a cursor is only ever one the API returned).
   */
  function plausible(g: Gen, name: string, prop: JsonProp): unknown {
    const variant = prop.anyOf?.[0] ?? prop.oneOf?.[0];
    if (variant) return plausible(g, name, variant);
    if (prop.const !== undefined) return prop.const;
    if (prop.enum?.length) return g.pick(prop.enum);
    if (/cursor|^before$|^after$|^around$/i.test(name)) return undefined;
    if (/zone$/i.test(name)) return g.pick(['Europe/Paris', 'UTC']);
    if (name === 'emoji') return '👍';
    if (name === 'endpoint') return 'https://push.example.com/send/abc';
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    if (type === 'integer' || type === 'number') return prop.minimum ?? 1;
    if (type === 'boolean') return g.chance(0.5);
    if (type === 'array')
      return g.chance(0.3) ? [] : [plausible(g, name.replace(/s$/, ''), prop.items ?? {})];
    if (type === 'object')
      return Object.fromEntries(
        Object.entries(prop.properties ?? {}).map(([k, p]) => [k, plausible(g, k, p)]),
      );
    if (prop.format === 'date-time' || /At$|For$/.test(name))
      return new Date(Date.now() + (g.chance(0.8) ? 1 : -1) * 3_600_000).toISOString();
    if (/id$/i.test(name)) return g.pick(ids);
    return g.pick(['hello', 'office hours', 'a'.repeat(g.chance(0.5) ? 1 : 4_000)]);
  }
  const junk = (g: Gen) => (g.chance(0.3) ? g.pick(ids) : g.pick(JUNK_VALUES));
  /**
   * The fields of a query or body: every one plausible, all but one plausible, or each a coin toss
   * between plausible and junk (`mode`, drawn once per call).
   */
  function fieldsOf(g: Gen, mode: Mode, shape: Shape): Array<[string, unknown]> {
    const present = shape.filter((f) => (mode === 'mixed' ? g.chance(0.8) : f.required || g.chance(0.6)));
    const spoiled = mode === 'one-off' && present.length ? g.pick(present).name : null;
    const fields: Array<[string, unknown]> = present.map(({ name, prop }) => [
      name,
      mode === 'plausible' || (mode === 'one-off' && name !== spoiled)
        ? plausible(g, name, prop)
        : mode === 'one-off' || g.chance(0.5)
          ? junk(g)
          : plausible(g, name, prop),
    ]);
    return fields.filter(([, value]) => value !== undefined);
  }
  const asQueryValue = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

  /** One field set to a bad string, every other field the call sends plausible. */
  interface Spoil {
    where: 'query' | 'body';
    name: string;
    value: unknown;
  }

  function request(
    g: Gen,
    op: Operation,
    cookie: string,
    spoil?: Spoil,
  ): { req: Request; params: Record<string, string> } {
    const params: Record<string, string> = {};
    for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) {
      params[name!] = spoil || g.chance(0.4) ? g.pick(ids) : g.pick(JUNK_STRINGS);
    }
    const mode = spoil ? 'plausible' : g.pick(MODES);
    const withSpoil = (where: Spoil['where'], fields: Array<[string, unknown]>) =>
      spoil?.where === where
        ? [...fields.filter(([name]) => name !== spoil.name), [spoil.name, spoil.value] as [string, unknown]]
        : fields;
    const url = new URL(`${BASE}/api/fuzz`);
    for (const [name, value] of withSpoil('query', fieldsOf(g, mode, shapeOf(g, op.query)))) {
      url.searchParams.append(name, asQueryValue(value));
      if (!spoil && g.chance(0.05)) url.searchParams.append(name, asQueryValue(junk(g)));
    }
    if (!spoil && g.chance(0.2)) url.searchParams.append(g.pick(JUNK_STRINGS), g.pick(JUNK_STRINGS));
    const headers: Record<string, string> = { cookie, origin: BASE };
    let body: string | undefined;
    if (op.method !== 'GET') {
      if (op.upload) {
        headers['content-type'] = `multipart/form-data; boundary=${g.pick(['b', '', 'x'.repeat(200)])}`;
        body = g.pick([
          '',
          '--b\r\n',
          `--b\r\nContent-Disposition: form-data; name="${op.upload.field}"; filename="a.png"\r\n\r\n<html>\r\n--b--\r\n`,
          `--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--b--\r\n`,
          'not multipart at all',
        ]);
      } else {
        headers['content-type'] = 'application/json';
        if (!spoil && g.chance(0.2)) body = g.pick(MALFORMED_BODIES);
        else {
          // Written out by hand, so that a "__proto__" key really is in the text.
          const fields = withSpoil('body', fieldsOf(g, mode, shapeOf(g, op.body)));
          if (!spoil && g.chance(0.2))
            fields.push([
              g.pick(['__proto__', 'constructor', 'id', 'senderId', 'role']),
              g.pick(JUNK_VALUES),
            ]);
          body = `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        }
      }
    }
    return { req: new Request(url, { method: op.method, headers, body }), params };
  }

  /** Every query and body field of `op`, each given a NUL and a lone surrogate in turn. */
  function spoils(g: Gen, op: Operation): Spoil[] {
    const out: Spoil[] = [];
    for (const where of ['query', 'body'] as const) {
      if (where === 'body' && (op.method === 'GET' || op.upload)) continue;
      for (const { name, prop } of shapeOf(g, where === 'query' ? op.query : op.body)) {
        for (const bad of BAD_TEXT) {
          const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
          out.push({ where, name, value: type === 'array' ? [bad] : bad });
        }
      }
    }
    return out;
  }

  async function callOnce(
    op: Operation,
    area: 'instructor' | 'student' | undefined,
    built: { req: Request; params: Record<string, string> },
  ) {
    const { req, params } = built;
    const label = `${req.method} ${op.path} ${JSON.stringify(params).slice(0, 200)} ${req.url.slice(0, 300)}`;
    const before = op.method === 'GET' ? '' : await fingerprint();
    const res = await toRouteHandler(op, area ? { area } : {})(req, { params: Promise.resolve(params) });
    expect(res.status, label).toBeLessThan(500);
    const text = await res.text();
    if (res.status >= 400) {
      const parsed = JSON.parse(text) as { error?: { code?: unknown } };
      expect(typeof parsed.error?.code, `${label}: ${text.slice(0, 300)}`).toBe('string');
      if (op.method !== 'GET') expect(await fingerprint(), `${label} changed stored state`).toBe(before);
    }
  }

  const groups: Array<{
    label: string;
    area: 'instructor' | 'student' | undefined;
    ops: ReadonlyArray<Operation>;
  }> = [
    {
      label: 'instructor',
      area: 'instructor',
      ops: [...OPERATIONS.instructor, ...INSTRUCTOR_OPERATIONS, ...SETTINGS_OPERATIONS],
    },
    { label: 'student', area: 'student', ops: [...OPERATIONS.student, ...SETTINGS_OPERATIONS] },
    { label: 'any role', area: undefined, ops: ANY_ROLE_OPERATIONS },
  ];

  it('covers every operation the API declares', () => {
    expect(groups.reduce((n, g) => n + g.ops.length, 0)).toBeGreaterThanOrEqual(40);
  });

  for (const group of groups) {
    group.ops.forEach((op, index) => {
      it(`${group.label} ${op.method} ${op.path}: answers below 500 with an error code, and a refused write changes nothing`, async () => {
        const g = generator(index * 7919 + group.label.length);
        for (let call = 0; call < CALLS_PER_OPERATION; call++) {
          // Mostly the area's own role; now and then the other one, which the area refuses.
          const caller = (group.area === 'student') !== g.chance(0.15) ? student : instructor;
          await callOnce(op, group.area, request(g, op, await api.cookieFor(caller)));
        }
        const own = group.area === 'student' ? student : instructor;
        for (const spoil of spoils(g, op)) {
          await callOnce(op, group.area, request(g, op, await api.cookieFor(own), spoil));
        }
      });
    });
  }

  it('the file download routes answer unknown, foreign and malformed ids with 4xx JSON', async () => {
    const g = generator(17);
    for (const route of [attachmentRoute, thumbnailRoute]) {
      for (const attachmentId of [...ids, ...JUNK_STRINGS]) {
        const cookie = await api.cookieFor(g.chance(0.5) ? student : instructor);
        const res = await route.GET(new Request(`${BASE}/api/attachments/x`, { headers: { cookie } }), {
          params: Promise.resolve({ attachmentId }),
        });
        expect(res.status, attachmentId.slice(0, 50)).toBeGreaterThanOrEqual(400);
        expect(res.status, attachmentId.slice(0, 50)).toBeLessThan(500);
        const body = (await res.json()) as { error?: { code?: unknown } };
        expect(typeof body.error?.code).toBe('string');
      }
    }
  });
});
