// A messages page opened on a conversation (?thread=…) arrives with its messages rendered by the
// server, and the browser takes over without reading the thread again; a message committed between
// the render and the socket's first connect still shows; a foreign, missing or malformed thread id
// gives the client's not-found state, never a server error; the rendered list opens at its newest
// message before the app runs, and keeps a reader's scrolling when it does. Jonas and Finn (Biology
// only, used by no other spec) have a DIRECT thread of their own per scenario.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { JONAS, SAM } from './accounts';
import {
  chat,
  gotoLive,
  messageWith,
  messagesUrl,
  postMessage,
  postMessages,
  shownMessages,
  signedIn,
  startDirect,
} from './messaging-ui-helpers';

const FINN = 'finn.larsen@example.edu';

/**
 * Holds the page's first socket until the server-rendered `shown` is on screen, runs `commit`, then
 * lets the socket through: whatever `commit` changed can only reach the page by the resume.
 */
async function beforeFirstConnect(page: Page, shown: string, commit: () => Promise<unknown>) {
  let held = false;
  await page.routeWebSocket(/\/socket\.io\//, async (ws) => {
    if (!held) {
      held = true;
      await expect(messageWith(page, shown)).toHaveCount(1);
      await commit();
    }
    ws.connectToServer();
  });
}

test('a conversation opened by URL is rendered by the server and not read again', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  try {
    const first = `Rendered on the server ${Date.now()}`;
    const threadId = await startDirect(jonas.api, 'Finn Larsen', first);

    const html = await (await jonas.api.get(messagesUrl('instructor', threadId))).text();
    expect(html).toContain(first);

    const threadReads: string[] = [];
    jonas.page.on('request', (req) => {
      if (req.method() === 'GET' && new URL(req.url()).pathname.endsWith(`/threads/${threadId}`))
        threadReads.push(req.url());
    });
    // The change feed moves on between the render and the first connect (here by a message of
    // his own, as other users' messages do all the time): the socket resumes from the render's
    // position and replays it, so the page still needs no read of the thread.
    const later = `Committed before the socket connected ${Date.now()}`;
    await beforeFirstConnect(jonas.page, first, () => postMessage(jonas.api, 'instructor', threadId, later));
    await gotoLive(jonas.page, messagesUrl('instructor', threadId));
    await expect(messageWith(jonas.page, first)).toHaveCount(1);
    await expect(messageWith(jonas.page, later)).toHaveCount(1);
    expect(threadReads).toEqual([]);
  } finally {
    await jonas.context.close();
  }
});

test('a message sent between the render and the first connect is shown', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  const finn = await signedIn(browser, FINN);
  try {
    const before = `Before the render ${Date.now()}`;
    const threadId = await startDirect(jonas.api, 'Finn Larsen', before);
    const between = `After the render ${Date.now()}`;

    // The page is rendered, then the message is committed, and only then does the socket reach
    // the server: the message can only come from the resume, since the page reads no thread.
    await beforeFirstConnect(finn.page, before, () =>
      postMessage(jonas.api, 'instructor', threadId, between),
    );
    await gotoLive(finn.page, messagesUrl('student', threadId));
    await expect(chat(finn.page, 'Jonas Okafor')).toBeVisible();
    await expect(messageWith(finn.page, between)).toHaveCount(1);
  } finally {
    await Promise.all([jonas.context.close(), finn.context.close()]);
  }
});

test('a foreign, missing or malformed thread id shows the not-found state', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  const sam = await signedIn(browser, SAM);
  try {
    // Sam's seeded DIRECT thread with Maya: one Jonas is not in.
    const res = await sam.api.get('/api/user/messages/threads?type=DIRECT');
    const { threads } = (await res.json()).data as { threads: Array<{ id: string; displayTitle: string }> };
    const foreign = threads.find((t) => t.displayTitle === 'Maya Chen')?.id;
    expect(foreign, "Sam's thread with Maya").toBeTruthy();

    for (const id of [foreign!, '00000000-0000-4000-8000-000000000000']) {
      const response = await jonas.page.goto(messagesUrl('instructor', id));
      expect(response?.status(), id).toBe(200);
      await expect(jonas.page.getByText('Conversation unavailable')).toBeVisible();
    }
    const response = await jonas.page.goto(messagesUrl('instructor', 'not an id!'));
    expect(response?.status()).toBe(200);
    await expect(jonas.page.getByText(/Conversation unavailable|could not be loaded/)).toBeVisible();
  } finally {
    await Promise.all([jonas.context.close(), sam.context.close()]);
  }
});

test('a rendered conversation opens at its newest message, and a reader who scrolls up before the app is ready stays there', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const jonas = await signedIn(browser, JONAS);
  try {
    // More than one page (50), so there is an older page to read. Leo (Biology) is in no other spec.
    const threadId = await startDirect(jonas.api, 'Leo Dubois', 'Early start 1');
    await postMessages(
      jonas.api,
      'instructor',
      threadId,
      Array.from({ length: 69 }, (_, i) => `Early start ${i + 2}`),
    );

    // The app's scripts are held back: what shows is the server's page alone, as on a slow device.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const appScripts = '**/_next/static/chunks/*.js';
    await jonas.page.route(appScripts, async (route) => {
      await released;
      await route.continue();
    });
    await jonas.page.goto(messagesUrl('instructor', threadId), { waitUntil: 'commit' });
    const scroller = jonas.page.getByTestId('message-scroller');
    await expect(scroller).toBeVisible();
    const place = () =>
      scroller.evaluate((el) => ({
        top: el.scrollTop,
        fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight,
      }));
    // At the newest message before any of the app has run, so there is no jump when it does.
    await expect
      .poll(async () => {
        const { top, fromBottom } = await place();
        return top > 0 && fromBottom < 2;
      })
      .toBe(true);
    const firstPage = (await shownMessages(jonas.page)).length;
    expect(firstPage).toBeLessThan(70);

    // What the app asks for older messages, for the failure message if the page never lands.
    const olderReads: string[] = [];
    jonas.page.on('requestfinished', async (request) => {
      if (!request.url().includes('/messages?before=')) return;
      const { startTime, responseEnd } = request.timing();
      olderReads.push(
        `${(await request.response())?.status()} in ${Math.round(responseEnd)} ms at ${startTime}`,
      );
    });
    jonas.page.on('requestfailed', (request) => {
      if (request.url().includes('/messages?before='))
        olderReads.push(`failed: ${request.failure()?.errorText}`);
    });

    // The reader scrolls to the top before the app hydrates; then it does. On a loaded machine
    // hydrating can take seconds, so the checks below start once the app has taken the list over.
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    release();
    await expect(scroller).toHaveAttribute('data-scroll-managed', '', { timeout: 30_000 });
    // The place is kept (no jump to the bottom), so the older page loads from there, once.
    await expect(async () => {
      const shown = (await shownMessages(jonas.page)).length;
      expect(shown, `older-page reads: ${olderReads.join('; ') || 'none'}`).toBeGreaterThan(firstPage);
    }).toPass({ timeout: 20_000 });
    expect((await place()).fromBottom).toBeGreaterThan(200);
    expect(olderReads, 'the older page is read once').toHaveLength(1);
  } finally {
    await jonas.context.close();
  }
});
