// Shared steps of the messaging UI specs: a signed-in browser context per person, threads started
// over the REST API (as the instructor), and locators for the parts of the messages screen.
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import { signInApi } from './accounts';
import { watchBrowserLog } from './fixtures';

export interface Person {
  context: BrowserContext;
  page: Page;
  /** The context's own API client: it shares the browser's session cookie. */
  api: APIRequestContext;
}

/** A fresh browser context (its own cookies and localStorage) signed in as `email`. */
export async function signedIn(
  browser: Browser,
  email: string,
  options: BrowserContextOptions = {},
): Promise<Person> {
  const context = await browser.newContext(options);
  await watchBrowserLog(context);
  await signInApi(context.request, email);
  const page = await context.newPage();
  return { context, page, api: context.request };
}

/** A student's id, looked up by name among the instructor's recipients. */
export async function recipientId(instructor: APIRequestContext, name: string): Promise<string> {
  const res = await instructor.get(`/api/instructor/messages/recipients?q=${encodeURIComponent(name)}`);
  expect(res.status(), await res.text()).toBe(200);
  const { recipients } = (await res.json()).data as { recipients: Array<{ id: string; name: string }> };
  const match = recipients.find((r) => r.name === name);
  expect(match, `${name} among the recipients`).toBeTruthy();
  return match!.id;
}

export async function classId(instructor: APIRequestContext, code: string): Promise<string> {
  const res = await instructor.get('/api/instructor/messages/classes');
  expect(res.status(), await res.text()).toBe(200);
  const { classes } = (await res.json()).data as { classes: Array<{ id: string; code: string }> };
  const match = classes.find((c) => c.code === code);
  expect(match, `class ${code}`).toBeTruthy();
  return match!.id;
}

/** The instructor starts (or adds to) the DIRECT thread with a student; answers the thread id. */
export async function startDirect(
  instructor: APIRequestContext,
  studentName: string,
  content: string,
): Promise<string> {
  const recipient = await recipientId(instructor, studentName);
  const res = await instructor.post('/api/instructor/messages/threads', {
    data: { type: 'DIRECT', recipientId: recipient, content },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data.thread.id as string;
}

/** Sends one message over REST; answers its id. */
export async function postMessage(
  api: APIRequestContext,
  area: 'instructor' | 'user',
  threadId: string,
  content: string,
): Promise<string> {
  const res = await api.post(`/api/${area}/messages/threads/${threadId}/messages`, { data: { content } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data.id as string;
}

/**
 * Posts many messages, a few at a time (seeding a long thread one by one took most of a test's
 * minute). Within a batch the stored order is not the order of `contents`; a test that checks
 * the order posts one by one (postMessage).
 */
export async function postMessages(
  api: APIRequestContext,
  area: 'instructor' | 'user',
  threadId: string,
  contents: string[],
  concurrency = 8,
): Promise<void> {
  for (let i = 0; i < contents.length; i += concurrency) {
    const batch = contents.slice(i, i + concurrency);
    await Promise.all(batch.map((content) => postMessage(api, area, threadId, content)));
  }
}

export const messagesUrl = (area: 'instructor' | 'student', threadId?: string) =>
  threadId ? `/${area}/messages?thread=${encodeURIComponent(threadId)}` : `/${area}/messages`;

/** The conversation list. */
export const conversations = (page: Page) => page.getByRole('region', { name: 'Conversations' });

/** One row of the conversation list (its link). */
export const threadRow = (page: Page, threadId: string) =>
  conversations(page).locator(`li[data-thread-id="${threadId}"] a`);

/** The open conversation: the section labelled by its title. */
export const chat = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

/** The stored messages of the open conversation, oldest first. */
export const storedMessages = (page: Page) => page.getByTestId('message-list').locator('[data-message-id]');

/** Stored messages containing this text. */
export const messageWith = (page: Page, text: string) => storedMessages(page).filter({ hasText: text });

/** The message box of the open conversation. */
export const composer = (page: Page, title: string) => page.getByLabel(`Message ${title}`, { exact: true });

/** Opens a thread by URL and waits until its messages are shown and the page's socket is live. */
export async function openThread(
  page: Page,
  area: 'instructor' | 'student',
  threadId: string,
  title: string,
): Promise<void> {
  await gotoLive(page, messagesUrl(area, threadId));
  await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
  await expect(page.getByTestId('message-list')).toBeVisible();
}

/** Writes a message in the composer and sends it with Enter. */
export async function sendWithEnter(page: Page, title: string, text: string): Promise<void> {
  const box = composer(page, title);
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** The ids and text of the stored messages shown, oldest first. */
export async function shownMessages(page: Page): Promise<Array<{ id: string; text: string }>> {
  return storedMessages(page).evaluateAll((els) =>
    els.map((el) => ({ id: (el as HTMLElement).dataset.messageId ?? '', text: el.textContent ?? '' })),
  );
}

/**
 * How far the page is wider than the screen (0 or less: it fits). Measured against the configured
 * viewport, not window.innerWidth: on a mobile viewport the browser widens the layout viewport
 * (zooming out) to fit content that overflows, which would hide the overflow from innerWidth.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  const width = page.viewportSize()?.width ?? 0;
  return (await page.evaluate(() => document.documentElement.scrollWidth)) - width;
}

/** The element lies within the screen's width (nothing of it cut off at the right). */
export async function expectWithinWidth(page: Page, locator: Locator): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const box = await locator.boundingBox();
  expect(box, 'the element is rendered').toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, 'right edge within the screen').toBeLessThanOrEqual(width);
}

/**
 * Marks the document, so a later check can tell the page was never reloaded (a reload or a full
 * navigation starts a new document without the mark).
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __e2eMark?: boolean }).__e2eMark = true;
  });
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark === true);
}

/**
 * Resolves when the page's realtime socket has connected and caught up (its first `sync` frame).
 * Call it before the navigation that opens the socket: events sent before then are not for it.
 */
export function liveSocket(page: Page): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('["sync"')) resolve();
      });
    });
  });
}

/** Goes to a URL and waits until the page's socket is live. */
export async function gotoLive(page: Page, url: string): Promise<void> {
  const live = liveSocket(page);
  await page.goto(url);
  await live;
}

/**
 * Types into a composer until the other side shows the typing indicator. The first keystrokes can
 * come before both sockets have joined the thread's room, so the typing starts over until seen.
 */
export async function typeUntilShown(box: Locator, text: string, indicator: Locator, shown: string) {
  await expect(async () => {
    await box.fill('');
    await box.fill(text);
    await expect(indicator).toHaveText(shown, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Resolves when this page's outbox is empty: every message written has been acknowledged. */
export async function outboxSettled(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cm:outbox:')).length),
    )
    .toBe(0);
}
