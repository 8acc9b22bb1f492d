// The file routes as the custom server serves them (src/app/api/_files/node-transfer.ts): over a real
// HTTP socket, the upload's body is the request stream itself and a download is the file's own
// stream, around Next. The answers must be the route handlers' own (the same codes, the same
// authorisation) with every header Next would have added: the fixed security headers, the
// sandboxing CSP of a user's file, no-store on the JSON answers, and HSTS on an https origin.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFileTransfer } from '@/app/api/_files/node-transfer';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import { uploads, type MessageThread, type User } from '@/db/schema';
import { createLocalStore } from '@/files/local-store';
import { ZAttachment } from '@/messaging/dto';
import {
  API_CACHE_CONTROL,
  API_CSP,
  ATTACHMENT_CACHE_CONTROL,
  ATTACHMENT_CSP,
  FIXED_SECURITY_HEADERS,
  HSTS,
} from '@/platform/security-headers';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { BASE, call, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const MB = 1024 * 1024;
const BOUNDARY = '----cm-transfer-boundary';
// A PDF with real structure, then 3 MB of bytes that are not all one value: big enough to move in
// several chunks each way.
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'),
  Buffer.from(Array.from({ length: 3 * MB }, (_, i) => (i * 7919) % 251)),
  Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
]);

interface TAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<TAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

function multipart(name: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    bytes,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const json = (a: TAnswer) => JSON.parse(a.body.toString()) as { data?: unknown; error?: { code: string } };

/** Next's fixed headers (next.config.ts), present on every answer of these routes. */
function expectFixedHeaders(headers: http.IncomingHttpHeaders) {
  for (const [name, value] of Object.entries(FIXED_SECURITY_HEADERS))
    expect(headers[name.toLowerCase()], name).toBe(value);
}

describe.each(dbKinds())('file routes served from the Node request on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let storeDir: string;
  let server: http.Server;
  let port: number;
  let instructor: User;
  let student: User;
  let outsider: User;
  let thread: MessageThread;
  let appUrl = BASE;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-transfer-'));
    api = installTestServices(t.db, {
      store: createLocalStore(storeDir),
      fileLimits: { maxBytes: 4 * MB, quotaBytes: 64 * MB },
    });
    instructor = await createUser(t.db, { role: 'INSTRUCTOR' });
    student = await createUser(t.db);
    outsider = await createUser(t.db);
    const cls = await createClass(t.db, { instructors: [{ id: instructor.id }] });
    await enrollStudent(t.db, { classId: cls.id, studentId: student.id });
    thread = await createThread(t.db, {
      type: 'DIRECT',
      createdById: instructor.id,
      participantIds: [student.id],
    });
    server = http.createServer((req, res) => {
      if (!serveFileTransfer(req, res, appUrl)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.dispose();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  async function upload(user: User, name: string, bytes: Buffer, extra: Record<string, string> = {}) {
    return request(port, {
      method: 'POST',
      path:
        user.role === 'INSTRUCTOR'
          ? '/api/instructor/messages/attachments'
          : '/api/user/messages/attachments',
      headers: {
        cookie: await api.cookieFor(user),
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...extra,
      },
      body: multipart(name, bytes),
    });
  }

  it('leaves every other route to Next', async () => {
    for (const [method, p] of [
      ['GET', '/api/instructor/messages/threads'],
      ['GET', '/api/instructor/messages/attachments'],
      ['POST', '/api/attachments/abc'],
      ['GET', '/api/attachments/abc/other'],
    ] as const) {
      expect((await request(port, { method, path: p })).status, `${method} ${p}`).toBe(418);
    }
  });

  it('uploads streamed from the socket, sends, and serves the same bytes with the file headers', async () => {
    const up = await upload(instructor, 'Week 3 "rubric" ✓.pdf', PDF);
    expect(up.status, up.body.toString()).toBe(201);
    expectFixedHeaders(up.headers);
    expect(up.headers['content-security-policy']).toBe(API_CSP);
    expect(up.headers['cache-control']).toBe(API_CACHE_CONTROL);
    const file = ZAttachment.parse(json(up).data);
    expect(file).toMatchObject({
      name: 'Week 3 "rubric" ✓.pdf',
      size: PDF.length,
      contentType: 'application/pdf',
    });

    const sent = await call(iMessages.POST, `/api/x/messages/threads/${thread.id}/messages`, {
      cookie: await api.cookieFor(instructor),
      params: { threadId: thread.id },
      body: { content: 'The rubric', attachmentIds: [file.id] },
    });
    expect(sent.status).toBe(201);

    const cookie = await api.cookieFor(student);
    const whole = await request(port, { path: `/api/attachments/${file.id}`, headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.body.equals(PDF)).toBe(true);
    expectFixedHeaders(whole.headers);
    expect(whole.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(PDF.length),
      'content-security-policy': ATTACHMENT_CSP,
      'cache-control': ATTACHMENT_CACHE_CONTROL,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    });
    expect(whole.headers['content-disposition']).toBe(
      `attachment; filename="Week 3 _rubric_ _.pdf"; filename*=UTF-8''Week%203%20%22rubric%22%20%E2%9C%93.pdf`,
    );

    const etag = whole.headers.etag!;
    const cached = await request(port, {
      path: `/api/attachments/${file.id}`,
      headers: { cookie, 'if-none-match': etag },
    });
    expect({ status: cached.status, bytes: cached.body.length }).toEqual({ status: 304, bytes: 0 });

    const range = await request(port, {
      path: `/api/attachments/${file.id}`,
      headers: { cookie, range: `bytes=${MB}-${2 * MB - 1}` },
    });
    expect(range.status).toBe(206);
    expect(range.headers['content-range']).toBe(`bytes ${MB}-${2 * MB - 1}/${PDF.length}`);
    expect(range.body.equals(PDF.subarray(MB, 2 * MB))).toBe(true);

    const head = await request(port, {
      method: 'HEAD',
      path: `/api/attachments/${file.id}`,
      headers: { cookie },
    });
    expect({ status: head.status, length: head.headers['content-length'], bytes: head.body.length }).toEqual({
      status: 200,
      length: String(PDF.length),
      bytes: 0,
    });

    // Anyone else, with or without a session, and the thumbnail a PDF does not have: the routes' own answers.
    const foreign = await request(port, {
      path: `/api/attachments/${file.id}`,
      headers: { cookie: await api.cookieFor(outsider) },
    });
    expect({ status: foreign.status, code: json(foreign).error?.code }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    expectFixedHeaders(foreign.headers);
    expect((await request(port, { path: `/api/attachments/${file.id}` })).status).toBe(401);
    expect(
      (await request(port, { path: `/api/attachments/${file.id}/thumbnail`, headers: { cookie } })).status,
    ).toBe(404);
    expect((await request(port, { path: '/api/attachments/%E0%A4%A', headers: { cookie } })).status).toBe(
      404,
    );
  });

  it('refuses bad uploads with the routes’ codes and keeps nothing', async () => {
    const rowsBefore = (await t.db.select().from(uploads)).length;
    const tooBig = await upload(student, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(2 * MB, 1)]));
    expect({ status: tooBig.status, code: json(tooBig).error?.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    // Far past the limit: the answer goes out while the client is still sending, and must still
    // reach it as a 413 (not a reset connection).
    const wayTooBig = await upload(student, 'video.pdf', Buffer.concat([PDF, Buffer.alloc(24 * MB, 7)]));
    expect({ status: wayTooBig.status, code: json(wayTooBig).error?.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    const html = await upload(
      student,
      'homework.png',
      Buffer.from('<!doctype html><script>alert(1)</script>'),
    );
    expect({ status: html.status, code: json(html).error?.code }).toEqual({
      status: 415,
      code: 'UNSUPPORTED_FILE_TYPE',
    });
    const foreignOrigin = await upload(student, 'a.pdf', PDF, { origin: 'https://evil.example' });
    expect({ status: foreignOrigin.status, code: json(foreignOrigin).error?.code }).toEqual({
      status: 403,
      code: 'INVALID_ORIGIN',
    });
    const notMultipart = await request(port, {
      method: 'POST',
      path: '/api/user/messages/attachments',
      headers: { cookie: await api.cookieFor(student), 'content-type': 'application/json' },
      body: Buffer.from('{}'),
    });
    expect(notMultipart.status).toBe(415);
    expect(json(notMultipart).error?.code).toBeTruthy();
    expect((await t.db.select().from(uploads)).length).toBe(rowsBefore);
    const left = fs
      .readdirSync(storeDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(storeDir, f)).isFile());
    expect(left.filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('adds HSTS when the public origin is https, as the proxy does', async () => {
    appUrl = 'https://classroom.example';
    try {
      const up = await upload(student, 'notes.txt', Buffer.from('plain notes'), {
        origin: 'https://classroom.example',
      });
      expect(up.headers['strict-transport-security']).toBe(HSTS);
    } finally {
      appUrl = BASE;
    }
  });

  it('a client that leaves mid-download does not stop the server', async () => {
    const up = await upload(instructor, 'long.pdf', PDF);
    const { id } = ZAttachment.parse(json(up).data);
    const cookie = await api.cookieFor(instructor);
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: `/api/attachments/${id}`, headers: { cookie } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (err) =>
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err),
      );
    });
    const again = await request(port, { path: `/api/attachments/${id}`, headers: { cookie } });
    expect(again.body.equals(PDF)).toBe(true);
  });
});
