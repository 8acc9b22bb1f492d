// Settings and notifications in Chromium: the settings form saves, validates (end = start; a bad
// time zone over the API) and works from the keyboard, with no serious axe violations and at 390 px;
// once saved, the profile's time zone is the one message times show in, from the server's render on,
// whatever the browser's own zone;
// the tab title carries the unread count; the service worker shows a push delivered through the
// DevTools protocol (ServiceWorker.deliverPushMessage) and a click on it opens the thread.
import { test, expect } from './fixtures';
import { seriousViolations } from './axe';
import { gotoLive, horizontalOverflow, messagesUrl, signedIn } from './messaging-ui-helpers';

// Accounts no other spec signs in as: settings changes stay theirs.
const ZARA = 'zara.ahmed@example.edu';
const LEO = 'leo.dubois@example.edu';

test('the settings form saves, validates and is keyboard-accessible', async ({ browser }) => {
  test.slow(); // many round trips on a 2-core machine shared with other runs
  // The browser lives in Los Angeles; the profile will say Tokyo (16 or 17 hours apart).
  const zara = await signedIn(browser, ZARA, { timezoneId: 'America/Los_Angeles' });
  const { page } = zara;
  await page.goto('/student/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const name = page.getByLabel('Display name');
  await expect(name).toHaveValue('Zara Ahmed');

  // Keyboard only: the quiet-hours checkbox with Space, the times typed, the form sent with Enter.
  await page.getByRole('checkbox', { name: /Pause push and email during quiet hours/ }).focus();
  await page.keyboard.press('Space');
  const from = page.getByLabel('From');
  const until = page.getByLabel('Until');
  await from.fill('22:00');
  await until.fill('22:00');
  await page.getByRole('button', { name: 'Save settings' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Quiet hours must end at a different time than they start.')).toBeVisible();
  await expect(until).toHaveAttribute('aria-invalid', 'true');
  await expect(until).toBeFocused();

  await until.fill('07:00');
  await page.getByRole('radio', { name: /Daily summary/ }).check();
  await page.getByLabel('Send the daily summary at').selectOption('18');
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await name.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('From')).toHaveValue('22:00');
  await expect(page.getByLabel('Until')).toHaveValue('07:00');
  await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
  await expect(page.getByLabel('Send the daily summary at')).toHaveValue('18');
  expect(await seriousViolations(page)).toEqual([]);

  // Message times are on Tokyo's clock: in the HTML the server sends, and in the page once hydrated.
  const clock = (iso: string, timeZone: string) =>
    new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone })
      .format(new Date(iso))
      .replace(/\s/g, ' ');
  const { threads } = (await (await zara.api.get('/api/user/messages/threads')).json()).data as {
    threads: Array<{ id: string; lastMessage: { createdAt: string } | null }>;
  };
  const thread = threads.find((t) => t.lastMessage);
  expect(thread, 'Zara has a thread with a message').toBeTruthy();
  const html = await (await zara.api.get(messagesUrl('student', thread!.id))).text();
  const rendered = [...html.matchAll(/<time[^>]*\sdateTime="([^"]+)"[^>]*>(\d{1,2}:\d{2}\s[AP]M)<\/time>/gi)];
  expect(rendered.length).toBeGreaterThan(0);
  for (const [, iso, text] of rendered) {
    expect(text!.replace(/\s/g, ' ')).toBe(clock(iso!, 'Asia/Tokyo'));
    expect(text!.replace(/\s/g, ' ')).not.toBe(clock(iso!, 'America/Los_Angeles'));
  }
  // React reports a server/browser text mismatch as a recoverable error (#418 in production).
  const hydrationErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /hydrat|#418|#425/i.test(m.text())) hydrationErrors.push(m.text());
  });
  await gotoLive(page, messagesUrl('student', thread!.id)); // hydrated: the socket is up
  const times = page.getByTestId('message-list').locator('time[datetime]');
  await expect(times.first()).toBeVisible();
  const shown = await times.evaluateAll((els) =>
    els.map((el) => ({ iso: el.getAttribute('datetime')!, text: el.textContent! })),
  );
  expect(shown.map((t) => t.text.replace(/\s/g, ' '))).toEqual(shown.map((t) => clock(t.iso, 'Asia/Tokyo')));
  expect(hydrationErrors).toEqual([]);
  // The browser really is elsewhere: its own clock would say something else.
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(
    'America/Los_Angeles',
  );
  await page.goto('/student/settings');
  await expect(name).toHaveValue('Zara Ahmed');

  // The server checks what the form cannot: an unknown time zone, an empty name.
  const bad = await zara.api.put('/api/user/settings', {
    data: {
      name: ' ',
      timeZone: 'Mars/Olympus',
      emailMode: 'digest',
      dailyHour: 17,
      quietHours: null,
      previews: true,
    },
  });
  expect(bad.status()).toBe(400);
  const body = await bad.json();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(Object.keys(body.error.fields).sort()).toEqual(['name', 'timeZone']);

  // An emptied name is caught in the browser, and the field takes the focus.
  await name.fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await expect(name).toBeFocused();

  await zara.context.close();
});

test('the settings page fits a 390 px screen', async ({ browser }) => {
  test.slow();
  const phone = await signedIn(browser, LEO, { viewport: { width: 390, height: 844 } });
  await phone.page.goto('/student/settings');
  await expect(phone.page.getByLabel('Display name')).toBeVisible({ timeout: 30_000 });
  expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
  await phone.context.close();
});

test('the service worker shows a push and a click opens the thread; the tab title counts unread', async ({
  browser,
}) => {
  const leo = await signedIn(browser, LEO, { permissions: ['notifications'] });
  const { page, context } = leo;
  const threads = await (await leo.api.get('/api/user/messages/threads')).json();
  const threadId: string = threads.data.threads[0].id;
  const unread: number = (await (await leo.api.get('/api/user/messages/unread')).json()).data.unreadMessages;

  const cdp = await context.newCDPSession(page);
  // The registrations whose worker has activated: a push delivered to one still installing (or to a
  // registration about to be replaced) can be dropped.
  const activated: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.status === 'activated') activated.push(v.registrationId);
  });
  await cdp.send('ServiceWorker.enable');

  await page.goto('/student/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect
    .poll(() => page.title())
    .toBe(
      unread > 0
        ? `(${unread > 999 ? '999+' : unread}) Settings · Classroom Messaging`
        : 'Settings · Classroom Messaging',
    );
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await expect.poll(() => activated.length).toBeGreaterThan(0);
  await expect(page.getByTestId('push-state')).toHaveAttribute('data-state', 'off');

  const origin = new URL(page.url()).origin;
  const push = () =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId: activated[activated.length - 1]!,
      data: JSON.stringify({
        title: 'Ms Chen · Lab week 3',
        body: 'Bring goggles tomorrow.',
        url: `/student/messages?thread=${threadId}`,
        tag: `thread-${threadId}`,
        threadId,
      }),
    });
  const shown = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body }));
    });
  // CDP's delivery is fire-and-forget; one that the browser dropped is sent again. The notification
  // carries the thread's tag, so a second delivery replaces the first: still exactly one is shown.
  await expect(async () => {
    await push();
    await expect
      .poll(shown, { timeout: 4_000 })
      .toEqual([{ title: 'Ms Chen · Lab week 3', body: 'Bring goggles tomorrow.' }]);
  }).toPass({ timeout: 20_000 });

  // A click, as the browser would deliver it to the worker: the open tab goes to the thread.
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(async () => {
    const scope = globalThis as unknown as {
      registration: { getNotifications(): Promise<unknown[]> };
      NotificationEvent: new (type: string, init: { notification: unknown }) => Event;
      dispatchEvent(event: Event): boolean;
    };
    const [notification] = await scope.registration.getNotifications();
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification }));
  });
  await expect(page).toHaveURL(new RegExp(`/student/messages\\?thread=${threadId}$`));
  await expect.poll(shown).toEqual([]);
  await context.close();
});
