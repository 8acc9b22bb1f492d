// The messaging REST API through the production server: real cookies, real route files, the
// OpenAPI document. Uses Jonas and Lena's DIRECT thread so the figures other specs check for Maya
// stay as seeded.
import { expect, test } from './fixtures';
import { JONAS, LENA, SAM, signInApi } from './accounts';

test('an instructor and a student exchange messages over the REST API', async ({ playwright, baseURL }) => {
  const jonas = await playwright.request.newContext({ baseURL });
  const lena = await playwright.request.newContext({ baseURL });
  const sam = await playwright.request.newContext({ baseURL });
  await Promise.all([signInApi(jonas, JONAS), signInApi(lena, LENA), signInApi(sam, SAM)]);

  const list = await jonas.get('/api/instructor/messages/threads?type=DIRECT');
  expect(list.status()).toBe(200);
  const { threads } = (await list.json()).data;
  const thread = threads.find((t: { displayTitle: string }) => t.displayTitle === 'Lena Novak');
  expect(thread).toBeTruthy();

  // A send with a client key, retried: one message, the same answer, flagged as a replay.
  const key = `e2e-${Date.now()}`;
  const url = `/api/instructor/messages/threads/${thread.id}/messages`;
  const first = await jonas.post(url, { data: { content: 'Lab 3 is posted.', clientMessageId: key } });
  const again = await jonas.post(url, { data: { content: 'Lab 3 is posted.', clientMessageId: key } });
  expect(first.status()).toBe(201);
  expect(again.status()).toBe(201);
  expect(again.headers()['idempotent-replayed']).toBe('true');
  const sent = (await first.json()).data;
  expect((await again.json()).data).toEqual(sent);

  // Lena sees it unread, replies through the guide's student POST, and reads the thread.
  const lenaList = (await (await lena.get('/api/user/messages/threads')).json()).data.threads;
  expect(lenaList.find((t: { id: string }) => t.id === thread.id)?.unreadCount).toBeGreaterThan(0);
  const reply = await lena.post('/api/user/messages/threads', {
    data: { threadId: thread.id, content: 'Thanks! Starting tonight.' },
  });
  expect(reply.status()).toBe(201);
  const read = await lena.post(`/api/user/messages/${sent.id}/read`);
  expect((await read.json()).data.lastReadSeq).toBeGreaterThanOrEqual(sent.seq);

  const page = (await (await jonas.get(`${url}?limit=2`)).json()).data;
  expect(page.messages.map((m: { content: string }) => m.content)).toEqual([
    'Lab 3 is posted.',
    'Thanks! Starting tonight.',
  ]);

  // Someone outside the thread learns nothing: the same 404 as for an id that does not exist.
  const probe = await sam.get(`/api/user/messages/threads/${thread.id}`);
  const missing = await sam.get('/api/user/messages/threads/00000000-0000-0000-0000-000000000000');
  expect(probe.status()).toBe(404);
  // Each answer names its own request; everything else is the same.
  const withoutRequestId = async (res: typeof probe) => {
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    expect(error.requestId).toEqual(res.headers()['x-request-id']);
    return { ...error, requestId: undefined };
  };
  expect(await withoutRequestId(probe)).toEqual(await withoutRequestId(missing));

  await Promise.all([jonas.dispose(), lena.dispose(), sam.dispose()]);
});

test('the OpenAPI document describes the messaging routes', async ({ request }) => {
  const res = await request.get('/api/openapi.json');
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/api/instructor/messages/threads',
      '/api/instructor/messages/threads/{threadId}/messages',
      '/api/instructor/messages/{messageId}/read',
      '/api/user/messages/threads',
    ]),
  );
  expect(
    doc.paths['/api/instructor/messages/threads/{threadId}/messages'].post.responses['429'],
  ).toBeTruthy();
});
