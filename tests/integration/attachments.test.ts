// Attachments through the real route handlers, with real sessions, on PGlite and (when DATABASE_URL
// is set) Postgres: uploads judged by their bytes, the size limit enforced mid-stream with nothing
// left behind, the quota, EXIF removed from images, names that survive any characters, sends that
// claim only the sender's own unsent uploads, serving authorised by the message's visibility (with
// ranges and ETags), every message shape carrying its files, Materials, and expiry. The stores
// themselves (local disk, and S3 against an s3rver the test starts) pass the same contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq, inArray } from 'drizzle-orm';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as attachmentRoute from '@/app/api/attachments/[attachmentId]/route';
import * as thumbnailRoute from '@/app/api/attachments/[attachmentId]/thumbnail/route';
import * as iIndividual from '@/app/api/instructor/messages/individual/route';
import * as iMessage from '@/app/api/instructor/messages/[messageId]/route';
import * as iUpload from '@/app/api/instructor/messages/attachments/route';
import * as iMaterials from '@/app/api/instructor/messages/materials/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import * as sMessage from '@/app/api/user/messages/[messageId]/route';
import * as sUpload from '@/app/api/user/messages/attachments/route';
import * as sMaterials from '@/app/api/user/messages/materials/route';
import * as sMessages from '@/app/api/user/messages/threads/[threadId]/messages/route';
import * as sThreads from '@/app/api/user/messages/threads/route';
import {
  messageAttachments,
  messageBatchRecipients,
  messages,
  uploads,
  type Class,
  type MessageThread,
  type User,
} from '@/db/schema';
import type { TFileLimits } from '@/files/context';
import { bytesUsed } from '@/files/upload-file';
import { createLocalStore } from '@/files/local-store';
import { createS3Store } from '@/files/s3-store';
import type { FileStore } from '@/files/storage';
import { ZAttachment, ZMessage, type TAttachment, type TMessageView } from '@/messaging/dto';
import { createMessageFeed } from '@/messaging/message-feed';
import { listThreads } from '@/messaging/list-threads';
import { ZMessagePage } from '@/messaging/list-messages';
import { ZMaterialPage } from '@/files/list-materials';
import { ZErrorBody } from '@/server/operation';
import { startUploadExpiry } from '@/server/upload-expiry';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { BASE, call, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const MB = 1024 * 1024;
const LIMITS: TFileLimits = { maxBytes: 3 * MB, quotaBytes: 8 * MB };

// ---- fixtures -----------------------------------------------------------------------------------

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
);
// An ELF executable's header, then padding.
const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
  Buffer.alloc(120, 0),
]);

async function png(width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
}

/** A JPEG with an EXIF GPS position, as a phone writes one. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a6' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Homework Cam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .toBuffer();
}

/** EXIF's GPS IFD pointer tag (0x8825), in either byte order. */
function hasGpsTag(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

// ---- requests -----------------------------------------------------------------------------------

const BOUNDARY = '----cm-test-boundary-7MA4YWxkTrZu0gW';

function partHead(name: string): Buffer {
  // RFC 5987 form, so any character of the name travels as it is.
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

function uploadRequest(cookie: string, body: Buffer | ReadableStream<Uint8Array>): Request {
  return new Request(`${BASE}/api/x/messages/attachments`, {
    method: 'POST',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: 'half',
  } as RequestInit);
}

async function json(res: Response) {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const noParams = { params: Promise.resolve({}) };

async function download(
  cookie: string,
  id: string,
  opts: { thumbnail?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const handler: Handler = opts.thumbnail ? thumbnailRoute.GET : attachmentRoute.GET;
  return handler(
    new Request(`${BASE}/api/attachments/${id}${opts.thumbnail ? '/thumbnail' : ''}`, {
      headers: { cookie, ...opts.headers },
    }),
    { params: Promise.resolve({ attachmentId: id }) },
  );
}

/** Every file under a folder (the store's), scratch included. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

// ---- the API ------------------------------------------------------------------------------------

describe.each(dbKinds())('attachments API on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let storeDir: string;
  let instructor: User;
  let student: User;
  let other: User;
  let outsider: User;
  let cls: Class;
  let direct: MessageThread;
  let announcement: MessageThread;
  const cookie = (u: User) => api.cookieFor(u);

  async function upload(user: User, name: string, bytes: Buffer, area: 'instructor' | 'student' = 'student') {
    const handler: Handler = area === 'instructor' ? iUpload.POST : sUpload.POST;
    const c = await cookie(user);
    return json(await handler(uploadRequest(c, Buffer.concat([partHead(name), bytes, TAIL])), noParams));
  }

  async function uploaded(
    user: User,
    name: string,
    bytes: Buffer,
    area: 'instructor' | 'student' = 'student',
  ) {
    const res = await upload(user, name, bytes, area);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return ZAttachment.parse(res.body.data);
  }

  async function send(
    user: User,
    threadId: string,
    body: Record<string, unknown>,
    area: 'instructor' | 'student',
  ) {
    const handler = area === 'instructor' ? iMessages.POST : sMessages.POST;
    return call(handler, `/api/x/messages/threads/${threadId}/messages`, {
      cookie: await cookie(user),
      params: { threadId },
      body,
    });
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-attachments-'));
    api = installTestServices(t.db, { store: createLocalStore(storeDir), fileLimits: LIMITS });
    instructor = await createUser(t.db, { role: 'INSTRUCTOR' });
    student = await createUser(t.db);
    other = await createUser(t.db);
    outsider = await createUser(t.db);
    cls = await createClass(t.db, { instructors: [{ id: instructor.id }] });
    await enrollStudent(t.db, { classId: cls.id, studentId: student.id });
    await enrollStudent(t.db, { classId: cls.id, studentId: other.id });
    direct = await createThread(t.db, {
      type: 'DIRECT',
      createdById: instructor.id,
      participantIds: [student.id],
    });
    announcement = await createThread(t.db, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Week 1',
      studentsCanReply: false,
      createdById: instructor.id,
      participantIds: [student.id, other.id],
    });
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  describe('refused uploads', () => {
    it.each([
      ['a .png whose bytes are HTML', 'homework.png', HTML],
      ['a .png whose bytes are SVG', 'diagram.png', SVG],
      ['a .pdf that is an executable', 'worksheet.pdf', ELF],
      ['a .txt that is HTML', 'notes.txt', HTML],
    ])('%s: 415 UNSUPPORTED_FILE_TYPE, nothing stored', async (_label, name, bytes) => {
      const before = await t.db.select().from(uploads);
      const res = await upload(student, name, bytes);
      expect(res.status).toBe(415);
      expect(ZErrorBody.parse(res.body).error.code).toBe('UNSUPPORTED_FILE_TYPE');
      expect(res.body.error.message).toMatch(/can't be shared/);
      expect(await t.db.select().from(uploads)).toHaveLength(before.length);
    });

    it('a zero-byte file: 400 EMPTY_FILE', async () => {
      const res = await upload(student, 'empty.txt', Buffer.alloc(0));
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'EMPTY_FILE' });
    });

    it('a body that is not multipart, or has no file part: 4xx with a code', async () => {
      const c = await cookie(student);
      const asJson = await json(
        await sUpload.POST(
          new Request(`${BASE}/x`, {
            method: 'POST',
            headers: { cookie: c, 'content-type': 'application/json' },
            body: '{}',
          }),
          noParams,
        ),
      );
      expect({ status: asJson.status, code: asJson.body.error.code }).toEqual({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      const noFile = await json(
        await sUpload.POST(
          uploadRequest(
            c,
            Buffer.from(
              `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${BOUNDARY}--\r\n`,
            ),
          ),
          noParams,
        ),
      );
      expect({ status: noFile.status, code: noFile.body.error.code }).toEqual({
        status: 400,
        code: 'NO_FILE',
      });
      const garbage = await json(
        await sUpload.POST(uploadRequest(c, Buffer.from('not a multipart body at all')), noParams),
      );
      expect(garbage.status).toBeGreaterThanOrEqual(400);
      expect(garbage.status).toBeLessThan(500);
    });

    it('without a session: 401', async () => {
      const res = await json(
        await sUpload.POST(
          uploadRequest('', Buffer.concat([partHead('a.txt'), Buffer.from('hi'), TAIL])),
          noParams,
        ),
      );
      expect(res.status).toBe(401);
    });

    it('an oversized file is stopped mid-stream: 413, no file on disk, no row', async () => {
      const total = 40 * MB;
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      let pulled = 0;
      let sentTail = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(partHead('huge.txt')));
        },
        pull(controller) {
          if (pulled < total) {
            pulled += chunk.length;
            controller.enqueue(new Uint8Array(chunk));
          } else if (!sentTail) {
            sentTail = true;
            controller.enqueue(new Uint8Array(TAIL));
            controller.close();
          }
        },
      });
      const rowsBefore = (await t.db.select().from(uploads)).length;
      const filesBefore = filesUnder(storeDir);
      const res = await json(await sUpload.POST(uploadRequest(await cookie(student), body), noParams));
      expect({ status: res.status, code: res.body.error.code }).toEqual({
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      });
      expect(res.body.error.message).toMatch(/^File too large; the limit is 3 MB\./);
      // Stopped soon after the limit, not after reading all 40 MB.
      expect(pulled).toBeLessThan(LIMITS.maxBytes + 4 * MB);
      expect(filesUnder(storeDir)).toEqual(filesBefore);
      expect(filesUnder(path.join(storeDir, '.tmp'))).toEqual([]);
      expect(await t.db.select().from(uploads)).toHaveLength(rowsBefore);
    });

    it('the quota: an upload that would pass it is refused with QUOTA_EXCEEDED, the ones before are kept', async () => {
      const saver = await createUser(t.db);
      const piece = Buffer.alloc(Math.floor(2.5 * MB), 0x62);
      for (let i = 0; i < 3; i++) await uploaded(saver, `part-${i}.txt`, piece);
      const res = await upload(saver, 'one-too-many.txt', piece);
      expect({ status: res.status, code: res.body.error.code }).toEqual({
        status: 403,
        code: 'QUOTA_EXCEEDED',
      });
      expect(await t.db.select().from(uploads).where(eq(uploads.ownerId, saver.id))).toHaveLength(3);
      expect(filesUnder(path.join(storeDir, '.tmp'))).toEqual([]);
    });
  });

  describe('accepted uploads', () => {
    it('a PDF: its type from its bytes, whatever it is called, and a download with attachment disposition', async () => {
      const a = await uploaded(student, 'worksheet.bin', PDF);
      expect(a).toMatchObject({ name: 'worksheet.bin', size: PDF.length, contentType: 'application/pdf' });
      expect(a.thumbnailUrl).toBeUndefined();
      const res = await download(await cookie(student), a.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(res.headers.get('cache-control')).toMatch(/^private/);
      expect(res.headers.get('etag')).toBeTruthy();
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    });

    it('plain text and CSV (valid UTF-8) are accepted; invalid UTF-8 is not', async () => {
      const csv = await uploaded(student, 'marks.csv', Buffer.from('name,mark\nÅsa,17\n'));
      expect(csv.contentType).toBe('text/csv; charset=utf-8');
      const txt = await uploaded(student, 'notes', Buffer.from('Chapter 3 — notes\n'));
      expect(txt.contentType).toBe('text/plain; charset=utf-8');
      const bad = await upload(student, 'notes.txt', Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x00]));
      expect(bad.status).toBe(415);
    });

    it('EXIF GPS is present before and absent after; dimensions and a 320 px thumbnail, served inline', async () => {
      const original = await jpegWithGps();
      expect(hasGpsTag((await sharp(original).metadata()).exif)).toBe(true);
      const a = await uploaded(student, 'homework-photo.jpg', original);
      expect(a).toMatchObject({ contentType: 'image/jpeg', width: 800, height: 600 });
      expect(a.thumbnailUrl).toBe(`/api/attachments/${a.id}/thumbnail`);

      const res = await download(await cookie(student), a.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
      const served = Buffer.from(await res.arrayBuffer());
      const meta = await sharp(served).metadata();
      expect(meta.exif).toBeUndefined();
      expect(hasGpsTag(meta.exif)).toBe(false);
      expect(served.includes(Buffer.from('Homework Cam'))).toBe(false);

      const thumb = await download(await cookie(student), a.id, { thumbnail: true });
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const tmeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect(tmeta.width).toBe(320);
      expect(tmeta.height).toBe(240);
    });

    it('a name with quotes, newlines, ../ and non-ASCII is kept for display and survives the download header', async () => {
      const raw = 'He said "hi"\r\n../../etc/passwd — Überprüfung ✓ 数学.txt';
      const a = await uploaded(student, raw, Buffer.from('safe text'));
      expect(a.name).toBe('He said "hi" ../../etc/passwd — Überprüfung ✓ 数学.txt');
      const [row] = await t.db.select().from(uploads).where(eq(uploads.id, a.id));
      expect(row!.storageKey).not.toContain('passwd');
      expect(row!.storageKey).toMatch(/^[A-Za-z0-9_-]{32}$/);

      const res = await download(await cookie(student), a.id);
      const header = res.headers.get('content-disposition')!;
      expect(header).not.toMatch(/[\r\n]/);
      const fallback = /filename="([^"]*)"/.exec(header)![1]!;
      expect(fallback).toMatch(/^[\x20-\x7e]+$/);
      expect(fallback).not.toContain('"');
      const star = /filename\*=UTF-8''([^;\s]+)/.exec(header)![1]!;
      expect(decodeURIComponent(star)).toBe(a.name);
    });

    it('a name as browsers encode it in a form (%22 for a quote) comes back with its quote', async () => {
      const c = await cookie(student);
      const body = Buffer.concat([
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="say %22cheese%22.txt"\r\n\r\n`,
        ),
        Buffer.from('cheese'),
        TAIL,
      ]);
      const res = await json(await sUpload.POST(uploadRequest(c, body), noParams));
      expect(res.status).toBe(201);
      expect(res.body.data.name).toBe('say "cheese".txt');
    });
  });

  describe('sending and serving', () => {
    let image: TAttachment;
    let pdf: TAttachment;
    let sent: TMessageView;

    it('a send takes attachmentIds; the message carries them in order, in its answer and in the page', async () => {
      image = await uploaded(instructor, 'diagram.png', await png(), 'instructor');
      pdf = await uploaded(instructor, 'worksheet.pdf', PDF, 'instructor');
      const res = await send(
        instructor,
        direct.id,
        { content: 'Here you go', attachmentIds: [pdf.id, image.id] },
        'instructor',
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      sent = ZMessage.parse(res.body.data);
      expect(sent.attachments.map((a) => a.id)).toEqual([pdf.id, image.id]);
      expect(sent.attachments[1]).toMatchObject({ width: 40, height: 30, thumbnailUrl: image.thumbnailUrl });

      const rows = await t.db
        .select()
        .from(messageAttachments)
        .where(eq(messageAttachments.messageId, sent.id));
      expect(rows.map((r) => [r.uploadId, r.filename, r.fileUrl])).toEqual(
        expect.arrayContaining([
          [pdf.id, 'worksheet.pdf', `/api/attachments/${pdf.id}`],
          [image.id, 'diagram.png', `/api/attachments/${image.id}`],
        ]),
      );

      const page = await call(sMessages.GET, `/api/user/messages/threads/${direct.id}/messages`, {
        cookie: await cookie(student),
        params: { threadId: direct.id },
      });
      const listed = ZMessagePage.parse(page.body.data).messages.find((m) => m.id === sent.id)!;
      expect(listed.attachments).toEqual(sent.attachments);
    });

    it('the change feed (new-message and resume replays) carries the attachments', async () => {
      const feed = createMessageFeed({ db: t.db });
      await feed.sequence();
      const upTo = await feed.currentPosition();
      const entries = await feed.read({ after: 0, upTo, limit: 1000, userId: student.id });
      const entry = entries.find((e) => e.message.id === sent.id)!;
      expect(entry.kind).toBe('created');
      expect(entry.message.attachments).toEqual(sent.attachments);
    });

    it('a message may be files only; more than 10 ids is a 400', async () => {
      const a = await uploaded(student, 'photo.png', await png(), 'student');
      const res = await send(student, direct.id, { content: '', attachmentIds: [a.id] }, 'student');
      expect(res.status).toBe(201);
      expect(res.body.data.content).toBe('');
      // The conversation list names the file where a preview of the text would be.
      const { threads } = await listThreads({ db: t.db }, { userId: student.id });
      expect(threads.find((th) => th.id === direct.id)?.lastMessage?.preview).toBe('Attachment: photo.png');
      const empty = await send(student, direct.id, { content: '  ' }, 'student');
      expect(empty.status).toBe(400);
      const many = await send(
        student,
        direct.id,
        { content: 'x', attachmentIds: Array.from({ length: 11 }, (_, i) => `id${i}`) },
        'student',
      );
      expect({ status: many.status, code: many.body.error.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    });

    it("the guide's student POST /threads takes files in a reply, and refuses them on a new conversation", async () => {
      const a = await uploaded(student, 'reply.pdf', PDF, 'student');
      const reply = await call(sThreads.POST, '/api/user/messages/threads', {
        cookie: await cookie(student),
        body: { threadId: direct.id, content: '', attachmentIds: [a.id] },
      });
      expect(reply.status).toBe(201);
      expect(ZMessage.parse(reply.body.data).attachments.map((x) => x.name)).toEqual(['reply.pdf']);
      const b = await uploaded(student, 'opening.pdf', PDF, 'student');
      const opening = await call(sThreads.POST, '/api/user/messages/threads', {
        cookie: await cookie(student),
        body: { recipientId: instructor.id, content: 'Hello', attachmentIds: [b.id] },
      });
      expect({ status: opening.status, field: Object.keys(opening.body.error.fields ?? {}) }).toEqual({
        status: 400,
        field: ['attachmentIds'],
      });
    });

    it("attaching another user's upload, or one already sent, is a 404 and sends nothing", async () => {
      const theirs = await uploaded(other, 'theirs.txt', Buffer.from('mine, not yours'));
      const before = await call(sMessages.GET, `/api/user/messages/threads/${direct.id}/messages`, {
        cookie: await cookie(student),
        params: { threadId: direct.id },
      });
      const foreign = await send(
        student,
        direct.id,
        { content: 'look', attachmentIds: [theirs.id] },
        'student',
      );
      expect({ status: foreign.status, code: foreign.body.error.code }).toEqual({
        status: 404,
        code: 'NOT_FOUND',
      });
      const again = await send(
        instructor,
        direct.id,
        { content: 'again', attachmentIds: [pdf.id] },
        'instructor',
      );
      expect(again.status).toBe(404);
      const unknown = await send(
        instructor,
        direct.id,
        { content: 'ghost', attachmentIds: ['no-such-upload'] },
        'instructor',
      );
      expect(unknown.status).toBe(404);
      const after = await call(sMessages.GET, `/api/user/messages/threads/${direct.id}/messages`, {
        cookie: await cookie(student),
        params: { threadId: direct.id },
      });
      expect(after.body.data.messages).toHaveLength(before.body.data.messages.length);
      const [row] = await t.db.select().from(uploads).where(eq(uploads.id, theirs.id));
      expect(row!.messageId).toBeNull();
    });

    it('the participants download it; a foreign user gets 404, for the file and its thumbnail, as for an unknown id', async () => {
      for (const user of [instructor, student]) {
        expect((await download(await cookie(user), pdf.id)).status).toBe(200);
        expect((await download(await cookie(user), image.id, { thumbnail: true })).status).toBe(200);
      }
      const unknown = await json(await download(await cookie(outsider), 'no-such-attachment'));
      for (const res of [
        await download(await cookie(outsider), pdf.id),
        await download(await cookie(other), pdf.id),
        await download(await cookie(outsider), image.id, { thumbnail: true }),
      ]) {
        const body = await json(res);
        expect(body.status).toBe(404);
        expect(body.body).toEqual(unknown.body);
      }
      // An unsent upload is its uploader's alone.
      const draft = await uploaded(student, 'draft.png', await png());
      expect((await download(await cookie(student), draft.id, { thumbnail: true })).status).toBe(200);
      expect((await download(await cookie(instructor), draft.id)).status).toBe(404);
    });

    it('Range requests answer 206 with the bytes asked for; a range past the end is 416', async () => {
      const c = await cookie(student);
      const part = await download(c, pdf.id, { headers: { range: 'bytes=5-14' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 5-14/${PDF.length}`);
      expect(part.headers.get('content-length')).toBe('10');
      expect(Buffer.from(await part.arrayBuffer()).equals(PDF.subarray(5, 15))).toBe(true);
      const suffix = await download(c, pdf.id, { headers: { range: 'bytes=-6' } });
      expect(Buffer.from(await suffix.arrayBuffer()).toString()).toBe(PDF.subarray(-6).toString());
      const open = await download(c, pdf.id, { headers: { range: `bytes=${PDF.length - 3}-` } });
      expect(open.status).toBe(206);
      expect((await open.arrayBuffer()).byteLength).toBe(3);
      const past = await json(await download(c, pdf.id, { headers: { range: `bytes=${PDF.length + 10}-` } }));
      expect({ status: past.status, code: past.body.error.code }).toEqual({
        status: 416,
        code: 'RANGE_NOT_SATISFIABLE',
      });
      expect(past.headers.get('content-range')).toBe(`bytes */${PDF.length}`);
    });

    it('the ETag answers 304 when it matches', async () => {
      const c = await cookie(student);
      const first = await download(c, pdf.id);
      const etag = first.headers.get('etag')!;
      await first.arrayBuffer();
      const again = await download(c, pdf.id, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const changed = await download(c, pdf.id, { headers: { 'if-none-match': '"something-else"' } });
      expect(changed.status).toBe(200);
      await changed.arrayBuffer();
    });

    it("a deleted message's files are 404, the thumbnail too, and the message shows none", async () => {
      const a = await uploaded(instructor, 'retracted.png', await png(), 'instructor');
      const res = await send(instructor, direct.id, { content: 'oops', attachmentIds: [a.id] }, 'instructor');
      const messageId = res.body.data.id as string;
      expect((await download(await cookie(student), a.id)).status).toBe(200);
      const del = await call(iMessage.DELETE, `/api/instructor/messages/${messageId}`, {
        cookie: await cookie(instructor),
        params: { messageId },
        method: 'DELETE',
      });
      expect(del.status).toBe(200);
      expect(del.body.data.attachments).toEqual([]);
      for (const user of [student, instructor]) {
        expect((await download(await cookie(user), a.id)).status).toBe(404);
        expect((await download(await cookie(user), a.id, { thumbnail: true })).status).toBe(404);
      }
    });
  });

  describe('materials', () => {
    it('lists files shared in class threads, newest first, filtered and paginated; students see their current classes', async () => {
      const share = async (name: string, bytes: Buffer) => {
        const a = await uploaded(instructor, name, bytes, 'instructor');
        const res = await call(iMaterials.POST, '/api/instructor/messages/materials', {
          cookie: await cookie(instructor),
          body: { classId: cls.id, attachmentIds: [a.id] },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return a;
      };
      const first = await share('syllabus.pdf', PDF);
      const second = await share('board-photo.png', await png());
      const third = await uploaded(instructor, 'quiz.pdf', PDF, 'instructor');
      expect(
        (
          await send(
            instructor,
            announcement.id,
            { content: 'Quiz', attachmentIds: [third.id] },
            'instructor',
          )
        ).status,
      ).toBe(201);

      const list = async (user: User, query: Record<string, string> = {}) => {
        const handler = user.role === 'STUDENT' ? sMaterials.GET : iMaterials.GET;
        const res = await call(handler, '/api/x/messages/materials', { cookie: await cookie(user), query });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return ZMaterialPage.parse(res.body.data);
      };
      const all = await list(instructor);
      expect(all.materials.map((m) => m.attachment.id)).toEqual([third.id, second.id, first.id]);
      expect(all.materials[0]).toMatchObject({ className: cls.name, classId: cls.id });
      expect((await list(student)).materials.map((m) => m.attachment.id)).toEqual([
        third.id,
        second.id,
        first.id,
      ]);
      expect((await list(instructor, { type: 'image' })).materials.map((m) => m.attachment.id)).toEqual([
        second.id,
      ]);
      expect((await list(instructor, { type: 'pdf' })).materials.map((m) => m.attachment.id)).toEqual([
        third.id,
        first.id,
      ]);
      expect((await list(instructor, { q: 'SYLLA' })).materials.map((m) => m.attachment.id)).toEqual([
        first.id,
      ]);
      expect((await list(instructor, { q: '100%_' })).materials).toEqual([]);
      expect((await list(instructor, { classId: 'another-class' })).materials).toEqual([]);
      const page1 = await list(instructor, { limit: '2' });
      expect(page1.materials).toHaveLength(2);
      const page2 = await list(instructor, { limit: '2', cursor: page1.nextCursor! });
      expect(page2.materials.map((m) => m.attachment.id)).toEqual([first.id]);
      expect(page2.nextCursor).toBeNull();
      // DIRECT threads are not class materials, and an outsider sees nothing.
      expect((await list(outsider)).materials).toEqual([]);
      // A bad filter is a 400, never a 500.
      const bad = await call(iMaterials.GET, '/api/instructor/messages/materials', {
        cookie: await cookie(instructor),
        query: { type: 'executable' },
      });
      expect(bad.status).toBe(400);
    });

    it('sharing needs your own upload and a class you lead', async () => {
      const a = await uploaded(instructor, 'notes.pdf', PDF, 'instructor');
      const foreignClass = await createClass(t.db);
      const res = await call(iMaterials.POST, '/api/instructor/messages/materials', {
        cookie: await cookie(instructor),
        body: { classId: foreignClass.id, attachmentIds: [a.id] },
      });
      expect(res.status).toBe(404);
      const theirs = await uploaded(student, 'mine.txt', Buffer.from('student file'));
      const res2 = await call(iMaterials.POST, '/api/instructor/messages/materials', {
        cookie: await cookie(instructor),
        body: { classId: cls.id, attachmentIds: [theirs.id] },
      });
      expect(res2.status).toBe(404);
    });
  });

  describe('expiry', () => {
    it('an unsent upload expires after 24 h, with its files; a sent one stays', async () => {
      const stale = await uploaded(student, 'forgotten.png', await png());
      const kept = await uploaded(student, 'sent.txt', Buffer.from('sent'));
      expect(
        (await send(student, direct.id, { content: 'keep', attachmentIds: [kept.id] }, 'student')).status,
      ).toBe(201);
      const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
      await t.db.update(uploads).set({ createdAt: dayAgo }).where(eq(uploads.id, stale.id));
      await t.db.update(uploads).set({ createdAt: dayAgo }).where(eq(uploads.id, kept.id));
      const [staleRow] = await t.db.select().from(uploads).where(eq(uploads.id, stale.id));
      const keys = [staleRow!.storageKey, staleRow!.thumbnailKey!];
      const onDisk = () => filesUnder(storeDir).map((f) => path.basename(f));
      expect(onDisk()).toEqual(expect.arrayContaining(keys));

      const job = startUploadExpiry(api.services, { firstRunMs: 60_000 });
      await job.runOnce();
      job.stop();
      expect(await t.db.select().from(uploads).where(eq(uploads.id, stale.id))).toEqual([]);
      expect(onDisk()).not.toEqual(expect.arrayContaining([keys[0]]));
      expect(onDisk()).not.toContain(keys[1]);
      expect(await t.db.select().from(uploads).where(eq(uploads.id, kept.id))).toHaveLength(1);
      expect((await download(await cookie(student), stale.id)).status).toBe(404);
      expect((await download(await cookie(instructor), kept.id)).status).toBe(200);
    });

    it("deleting a message frees its files' room in the quota at once, and the job removes their bytes", async () => {
      const saver = await createUser(t.db);
      await enrollStudent(t.db, { classId: cls.id, studentId: saver.id });
      const thread = await createThread(t.db, {
        type: 'DIRECT',
        createdById: instructor.id,
        participantIds: [saver.id],
      });
      const piece = Buffer.alloc(Math.floor(2.5 * MB), 0x63);
      const sent = [];
      for (let i = 0; i < 3; i++) sent.push(await uploaded(saver, `big-${i}.txt`, piece));
      expect((await upload(saver, 'full.txt', piece)).body.error.code).toBe('QUOTA_EXCEEDED');
      const res = await send(
        saver,
        thread.id,
        { content: 'drafts', attachmentIds: [sent[0]!.id] },
        'student',
      );
      expect(res.status).toBe(201);
      const messageId = res.body.data.id as string;
      const [row] = await t.db.select().from(uploads).where(eq(uploads.id, sent[0]!.id));
      const onDisk = () => filesUnder(storeDir).map((f) => path.basename(f));
      expect(onDisk()).toContain(row!.storageKey);

      const del = await call(sMessage.DELETE, `/api/user/messages/${messageId}`, {
        cookie: await cookie(saver),
        params: { messageId },
        method: 'DELETE',
      });
      expect(del.status).toBe(200);
      // Room again at once, before any job has run.
      const again = await upload(saver, 'fits-now.txt', piece);
      expect(again.status).toBe(201);

      const job = startUploadExpiry(api.services, { firstRunMs: 60_000 });
      await job.runOnce();
      job.stop();
      expect(await t.db.select().from(uploads).where(eq(uploads.id, sent[0]!.id))).toEqual([]);
      expect(onDisk()).not.toContain(row!.storageKey);
      // The others (unsent, and younger than a day) are untouched.
      for (const other of sent.slice(1))
        expect((await download(await cookie(saver), other.id)).status).toBe(200);
      expect(
        await t.db.select().from(messageAttachments).where(eq(messageAttachments.messageId, messageId)),
      ).toEqual([]);
    });
  });

  describe('sending individually with files', () => {
    it('each student gets their own copy over one stored file: theirs to download only, a retry adds nothing, a deleted message leaves the others', async () => {
      const picked: User[] = [];
      for (let i = 0; i < 3; i++) {
        const s = await createUser(t.db, { name: `Batch student ${i}` });
        await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
        picked.push(s);
      }
      const teacher = await cookie(instructor);
      const quotaBefore = await bytesUsed(api.services, instructor.id);
      const image = await uploaded(instructor, 'seating.png', await png(), 'instructor');
      const pdf = await uploaded(instructor, 'worksheet.pdf', PDF, 'instructor');
      const quotaHeld = await bytesUsed(api.services, instructor.id);
      expect(quotaHeld).toBeGreaterThan(quotaBefore);
      const individually = (body: Record<string, unknown>) =>
        call(iIndividual.POST, '/api/instructor/messages/individual', { cookie: teacher, body });
      const body = {
        content: 'Your seat and this week’s worksheet',
        clientBatchId: 'batch-with-files-1',
        recipientIds: picked.map((s) => s.id),
        attachmentIds: [pdf.id, image.id],
      };

      // Checked as a normal send is: someone else's upload, an unknown id, too many: nothing stored.
      const theirs = await uploaded(student, 'theirs.txt', Buffer.from('not yours to send'));
      for (const [ids, status] of [
        [[pdf.id, theirs.id], 404],
        [['no-such-upload'], 404],
        [Array.from({ length: 11 }, (_, i) => `id-${i}`), 400],
      ] as const) {
        const refused = await individually({
          ...body,
          clientBatchId: `refused-${status}`,
          attachmentIds: ids,
        });
        expect(refused.status).toBe(status);
        ZErrorBody.parse(refused.body);
      }
      expect((await t.db.select().from(uploads).where(eq(uploads.id, pdf.id)))[0]!.batchId).toBeNull();

      const res = await individually(body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.data.counts).toMatchObject({ recipients: 3, sent: 3 });
      const batchId = res.body.data.id as string;
      const sentTo = await t.db
        .select()
        .from(messageBatchRecipients)
        .where(eq(messageBatchRecipients.batchId, batchId));
      const copies = new Map<string, { messageId: string; threadId: string; files: TAttachment[] }>();
      for (const s of picked) {
        const row = sentTo.find((r) => r.recipientId === s.id)!;
        const page = await call(sMessages.GET, `/api/user/messages/threads/${row.threadId}/messages`, {
          cookie: await cookie(s),
          params: { threadId: row.threadId! },
        });
        const message = ZMessagePage.parse(page.body.data).messages.find((m) => m.id === row.messageId)!;
        expect(message.attachments.map((a) => a.name)).toEqual(['worksheet.pdf', 'seating.png']);
        copies.set(s.id, { messageId: row.messageId!, threadId: row.threadId!, files: message.attachments });
      }
      // Each message has attachments of its own (own ids), over the same stored bytes.
      const ids = [...copies.values()].flatMap((c) => c.files.map((f) => f.id));
      expect(new Set(ids).size).toBe(6);
      expect(ids).not.toContain(pdf.id);
      const rows = await t.db.select().from(uploads).where(inArray(uploads.id, ids));
      const [template] = await t.db.select().from(uploads).where(eq(uploads.id, pdf.id));
      expect(template!.batchId).toBe(batchId);
      expect(new Set(rows.map((r) => r.storageKey)).size).toBe(2);
      expect(rows.filter((r) => r.storageKey === template!.storageKey)).toHaveLength(3);
      // The bytes count once against the sender's quota.
      expect(await bytesUsed(api.services, instructor.id)).toBe(quotaHeld);
      // A held upload is the batch's now: it cannot go in another message.
      const reuse = await send(
        instructor,
        direct.id,
        { content: 'again', attachmentIds: [pdf.id] },
        'instructor',
      );
      expect(reuse.status).toBe(404);

      // Each student downloads their own; another student's is 404, as for an unknown id.
      const unknown = await json(await download(await cookie(picked[0]!), 'no-such-attachment'));
      for (const s of picked) {
        const mine = copies.get(s.id)!.files;
        const file = await download(await cookie(s), mine[0]!.id);
        expect(file.status).toBe(200);
        expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
        expect((await download(await cookie(s), mine[1]!.id, { thumbnail: true })).status).toBe(200);
        for (const peer of picked.filter((p) => p.id !== s.id)) {
          for (const f of copies.get(peer.id)!.files) {
            const probe = await json(await download(await cookie(s), f.id));
            expect({ status: probe.status, body: probe.body }).toEqual({ status: 404, body: unknown.body });
            expect((await download(await cookie(s), f.id, { thumbnail: true })).status).toBe(404);
          }
        }
        // Nor the sender's own upload behind them.
        expect((await download(await cookie(s), pdf.id)).status).toBe(404);
        expect((await download(teacher, mine[0]!.id)).status).toBe(200);
      }

      // A retry with the same key: the same batch, no new message, no new attachment rows.
      const countRows = async () => ({
        uploads: (await t.db.select().from(uploads).where(eq(uploads.ownerId, instructor.id))).length,
        attachments: (await t.db.select().from(messageAttachments)).length,
        messages: (await t.db.select().from(messages).where(eq(messages.senderId, instructor.id))).length,
      });
      const before = await countRows();
      const retry = await individually(body);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
      expect(retry.body.data.id).toBe(batchId);
      expect(await countRows()).toEqual(before);

      // One student's message deleted: theirs is gone, the others' still download, the bytes stay.
      const [first, ...rest] = picked;
      const gone = copies.get(first!.id)!;
      const del = await call(iMessage.DELETE, `/api/instructor/messages/${gone.messageId}`, {
        cookie: teacher,
        params: { messageId: gone.messageId },
        method: 'DELETE',
      });
      expect(del.status).toBe(200);
      const job = startUploadExpiry(api.services, { firstRunMs: 60_000 });
      await job.runOnce();
      const onDisk = () => filesUnder(storeDir).map((f) => path.basename(f));
      expect(onDisk()).toContain(template!.storageKey);
      expect(await t.db.select().from(uploads).where(eq(uploads.id, pdf.id))).toEqual([]); // the template went
      expect((await download(await cookie(first!), gone.files[0]!.id)).status).toBe(404);
      for (const s of rest) {
        const mine = copies.get(s.id)!.files;
        const file = await download(await cookie(s), mine[0]!.id);
        expect(file.status).toBe(200);
        expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
        expect((await download(await cookie(s), mine[1]!.id, { thumbnail: true })).status).toBe(200);
      }
      expect(await bytesUsed(api.services, instructor.id)).toBe(quotaHeld);

      // The last messages deleted: now the bytes go, and the quota is back where it was.
      for (const s of rest) {
        const { messageId } = copies.get(s.id)!;
        await call(iMessage.DELETE, `/api/instructor/messages/${messageId}`, {
          cookie: teacher,
          params: { messageId },
          method: 'DELETE',
        });
      }
      await job.runOnce();
      job.stop();
      expect(onDisk()).not.toContain(template!.storageKey);
      expect(await t.db.select().from(uploads).where(inArray(uploads.id, ids))).toEqual([]);
      expect(await bytesUsed(api.services, instructor.id)).toBe(quotaBefore);
    });
  });
});

// ---- the stores -----------------------------------------------------------------------------------

describe('file stores', () => {
  let s3: S3rver;
  let s3Dir: string;
  let localDir: string;
  const stores: Record<'local' | 's3', FileStore> = {} as Record<'local' | 's3', FileStore>;

  beforeAll(async () => {
    s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-s3rver-'));
    localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-local-store-'));
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'classroom-test', configs: [] }],
    });
    const { port } = await s3.run();
    stores.s3 = createS3Store({
      bucket: 'classroom-test',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix: 'uploads/',
      scratchDir: path.join(localDir, 's3-scratch'),
    });
    stores.local = createLocalStore(path.join(localDir, 'disk'));
  });
  afterAll(async () => {
    await s3?.close();
    fs.rmSync(s3Dir, { recursive: true, force: true });
    fs.rmSync(localDir, { recursive: true, force: true });
  });

  const readAll = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  it.each(['local', 's3'] as const)(
    '%s: put a stream, get it whole and by range, delete it',
    async (name) => {
      const store = stores[name];
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      const put = await store.put(Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]));
      expect(put.size).toBe(bytes.length);
      expect(put.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const other = await store.put(Readable.from([bytes]));
      expect(other.key).not.toBe(put.key);
      expect((await readAll(await store.get(put.key))).equals(bytes)).toBe(true);
      expect(
        (await readAll(await store.get(put.key, { start: 1000, end: 1999 }))).equals(
          bytes.subarray(1000, 2000),
        ),
      ).toBe(true);
      await store.delete(put.key);
      await expect(store.get(put.key).then(readAll)).rejects.toThrow();
      await store.delete(put.key); // already gone: fine
      await store.delete(other.key);
    },
  );

  it.each(['local', 's3'] as const)(
    '%s: putFile moves a finished scratch file in; keys that are paths are refused',
    async (name) => {
      const store = stores[name];
      const scratch = store.scratchPath();
      fs.mkdirSync(path.dirname(scratch), { recursive: true });
      fs.writeFileSync(scratch, 'whole file');
      const put = await store.putFile(scratch);
      expect(fs.existsSync(scratch)).toBe(false);
      expect((await readAll(await store.get(put.key))).toString()).toBe('whole file');
      await expect(store.get('../../etc/passwd')).rejects.toThrow(/invalid storage key/);
      await store.delete(put.key);
    },
  );

  it('a failed stream leaves nothing under a key, in either store', async () => {
    for (const name of ['local', 's3'] as const) {
      const store = stores[name];
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(64 * 1024, 1));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put(failing)).rejects.toThrow('client went away');
    }
    const disk = filesUnder(path.join(localDir, 'disk'));
    expect(disk).toEqual([]);
    expect(filesUnder(path.join(localDir, 's3-scratch'))).toEqual([]);
  });

  it('S3: an upload through the API is stored in the bucket and served from it', async () => {
    const t = await createTestDatabase('pglite');
    try {
      const api = installTestServices(t.db, { store: stores.s3, fileLimits: LIMITS });
      const instructor = await createUser(t.db, { role: 'INSTRUCTOR' });
      const student = await createUser(t.db);
      const cls = await createClass(t.db, { instructors: [{ id: instructor.id }] });
      await enrollStudent(t.db, { classId: cls.id, studentId: student.id });
      const thread = await createThread(t.db, {
        type: 'DIRECT',
        createdById: instructor.id,
        participantIds: [student.id],
      });
      const c = await api.cookieFor(instructor);
      const up = await json(
        await iUpload.POST(
          uploadRequest(c, Buffer.concat([partHead('photo.jpg'), await jpegWithGps(), TAIL])),
          noParams,
        ),
      );
      expect(up.status).toBe(201);
      const [row] = await t.db.select().from(uploads).where(eq(uploads.id, up.body.data.id));
      const objects = filesUnder(s3Dir).join('\n');
      expect(objects).toContain(row!.storageKey);
      const res = await call(iMessages.POST, `/api/instructor/messages/threads/${thread.id}/messages`, {
        cookie: c,
        params: { threadId: thread.id },
        body: { content: 'From the bucket', attachmentIds: [up.body.data.id] },
      });
      expect(res.status).toBe(201);
      const got = await download(await api.cookieFor(student), up.body.data.id, {
        headers: { range: 'bytes=0-1' },
      });
      expect(got.status).toBe(206);
      expect(Buffer.from(await got.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8]));
      const thumb = await download(await api.cookieFor(student), up.body.data.id, { thumbnail: true });
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(320);
    } finally {
      await t.dispose();
    }
  });
});
