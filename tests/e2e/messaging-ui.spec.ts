// The messages screen in real browsers against the production server: two people in two browser
// contexts chatting live (messages, typing, "Seen"), the history surviving a reload and a 500-message
// thread read back to its beginning, messages written offline sent once on reconnect, and message
// text shown as inert text. Each scenario uses its own DIRECT thread between Jonas and a Biology
// student (see accounts.ts), so the seeded figures other specs check stay as they are.
import type { Dialog } from '@playwright/test';
import { expect, test } from './fixtures';
import { DIEGO, GRACE, HANNAH, JONAS, RAVI } from './accounts';
import {
  chat,
  composer,
  gotoLive,
  markDocument,
  messageWith,
  openThread,
  outboxSettled,
  postMessage,
  sendWithEnter,
  shownMessages,
  signedIn,
  startDirect,
  stillSameDocument,
  storedMessages,
  threadRow,
  messagesUrl,
  typeUntilShown,
} from './messaging-ui-helpers';

test('an instructor and a student chat live: messages, typing, and Seen', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  const grace = await signedIn(browser, GRACE);
  try {
    const threadId = await startDirect(jonas.api, 'Grace Lee', 'Hi Grace, welcome to Biology!');

    await openThread(jonas.page, 'instructor', threadId, 'Grace Lee');
    await gotoLive(grace.page, messagesUrl('student'));
    await expect(threadRow(grace.page, threadId)).toContainText('Hi Grace, welcome to Biology!');
    await Promise.all([markDocument(jonas.page), markDocument(grace.page)]);

    // Jonas writes; Grace, with only her list open, sees the row change. It is sent, not seen yet.
    await sendWithEnter(jonas.page, 'Grace Lee', 'Did you get the lab sheet?');
    const jonasChat = chat(jonas.page, 'Grace Lee');
    await expect(messageWith(jonas.page, 'Did you get the lab sheet?')).toHaveCount(1);
    await expect(jonasChat.getByTestId('delivery-state')).toHaveText('Sent');
    await expect(threadRow(grace.page, threadId)).toContainText('Did you get the lab sheet?');

    // Grace opens the thread: she reads it, and Jonas's message turns to Seen.
    await threadRow(grace.page, threadId).click();
    await expect(grace.page).toHaveURL(new RegExp(`thread=${threadId}`));
    const graceChat = chat(grace.page, 'Jonas Okafor');
    await expect(graceChat).toBeVisible();
    await expect(messageWith(grace.page, 'Did you get the lab sheet?')).toHaveCount(1);
    await expect(jonasChat.getByTestId('delivery-state')).toHaveText('Seen');

    // Grace types: Jonas sees it, and the indicator goes when she clears the box.
    const graceBox = composer(grace.page, 'Jonas Okafor');
    const jonasTyping = jonas.page.getByTestId('typing-indicator');
    await typeUntilShown(graceBox, 'Yes, I', jonasTyping, 'Grace is typing…');
    await graceBox.fill('');
    await expect(jonasTyping).toHaveText('');

    // She types again and sends: the indicator clears and the message reaches Jonas live.
    await typeUntilShown(graceBox, 'Yes, I got it', jonasTyping, 'Grace is typing…');
    await graceBox.fill('Yes, I got it. Thank you!');
    await graceBox.press('Enter');
    await expect(messageWith(jonas.page, 'Yes, I got it. Thank you!')).toHaveCount(1);
    await expect(jonasTyping).toHaveText('');
    await expect(messageWith(grace.page, 'Yes, I got it. Thank you!')).toHaveCount(1);

    // The other way round: Grace sees Jonas typing, then his answer; she has it open, so it is Seen.
    const jonasBox = composer(jonas.page, 'Grace Lee');
    const graceTyping = grace.page.getByTestId('typing-indicator');
    await typeUntilShown(jonasBox, 'Great', graceTyping, 'Jonas is typing…');
    await jonasBox.fill('Great, see you on Thursday.');
    await jonasBox.press('Enter');
    await expect(messageWith(grace.page, 'Great, see you on Thursday.')).toHaveCount(1);
    await expect(graceTyping).toHaveText('');
    await expect(jonasChat.getByTestId('delivery-state')).toHaveText('Seen');

    // All of it arrived live: neither page was reloaded. Both show the same four messages in order.
    expect(await stillSameDocument(jonas.page)).toBe(true);
    expect(await stillSameDocument(grace.page)).toBe(true);
    const expected = [
      'Hi Grace, welcome to Biology!',
      'Did you get the lab sheet?',
      'Yes, I got it. Thank you!',
      'Great, see you on Thursday.',
    ];
    const live = await shownMessages(jonas.page);
    expect(live).toHaveLength(4);
    expected.forEach((text, i) => expect(live[i]?.text).toContain(text));
    expect((await shownMessages(grace.page)).map((m) => m.id)).toEqual(live.map((m) => m.id));

    // After a reload the conversation is the same: same ids, same order, nothing doubled.
    await jonas.page.reload();
    await expect(storedMessages(jonas.page)).toHaveCount(4);
    expect((await shownMessages(jonas.page)).map((m) => m.id)).toEqual(live.map((m) => m.id));
    await expect(jonasChat.getByTestId('delivery-state')).toHaveText('Seen');
  } finally {
    await Promise.all([jonas.context.close(), grace.context.close()]);
  }
});

test('a 500-message thread reads back to its beginning, in order and without repeats', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const jonas = await signedIn(browser, JONAS);
  try {
    const label = (n: number) => `History ${String(n).padStart(3, '0')}`;
    const threadId = await startDirect(jonas.api, 'Diego Torres', label(1));
    // One at a time, so the order they are stored in is the order of their numbers.
    for (let n = 2; n <= 500; n++) await postMessage(jonas.api, 'instructor', threadId, label(n));

    await openThread(jonas.page, 'instructor', threadId, 'Diego Torres');
    await expect(messageWith(jonas.page, label(500))).toBeVisible();
    const scroller = jonas.page.getByTestId('message-scroller');
    const beginning = jonas.page.getByText('This is the beginning of the conversation.');

    // The newest page, then the same page after a reload.
    const firstPage = await shownMessages(jonas.page);
    expect(firstPage.length).toBeGreaterThan(0);
    expect(firstPage.length).toBeLessThan(500);
    await jonas.page.reload();
    await expect(messageWith(jonas.page, label(500))).toBeVisible();
    expect((await shownMessages(jonas.page)).map((m) => m.id)).toEqual(firstPage.map((m) => m.id));

    // One page back: the message that was at the top stays where the reader saw it.
    const oldestShown = jonas.page.locator(`[data-message-id="${firstPage[0]!.id}"]`);
    const topOf = () =>
      oldestShown.evaluate((el) => {
        const box = el.closest('[data-testid=message-scroller]')!.getBoundingClientRect();
        return el.getBoundingClientRect().top - box.top;
      });
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    const before = await topOf();
    await expect.poll(async () => (await shownMessages(jonas.page)).length).toBeGreaterThan(firstPage.length);
    expect(Math.abs((await topOf()) - before)).toBeLessThan(40);

    // Scroll to the top until there is nothing older: each page lands above the reader's place.
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
          return beginning.isVisible();
        },
        { timeout: 90_000, intervals: [250] },
      )
      .toBe(true);
    await expect(jonas.page.getByRole('button', { name: 'Load older messages' })).toHaveCount(0);

    const all = await shownMessages(jonas.page);
    expect(all).toHaveLength(500);
    expect(new Set(all.map((m) => m.id)).size).toBe(500);
    const numbers = all.map((m) => /History (\d{3})/.exec(m.text)?.[1]);
    expect(numbers).toEqual(Array.from({ length: 500 }, (_, i) => String(i + 1).padStart(3, '0')));
    // The newest page is still the one shown first, untouched by the pages read before it.
    expect(all.slice(-firstPage.length).map((m) => m.id)).toEqual(firstPage.map((m) => m.id));

    // A message from Diego while Jonas reads the beginning: a pill, not a jump.
    const diego = await signedIn(browser, DIEGO);
    try {
      await postMessage(diego.api, 'user', threadId, 'Diego here: a new question');
      const pill = jonas.page.getByRole('button', { name: /1 new message/ });
      await expect(pill).toBeVisible();
      await expect(beginning).toBeVisible();
      await pill.click();
      await expect(messageWith(jonas.page, 'Diego here: a new question')).toBeInViewport();
      await expect(pill).toHaveCount(0);
    } finally {
      await diego.context.close();
    }
  } finally {
    await jonas.context.close();
  }
});

test('messages written offline wait, then arrive once and in order when the connection is back', async ({
  browser,
}) => {
  // Two people, three page loads and a reload: on a loaded machine it ran out of the default 45 s
  // at its last check, every step before it passed.
  test.setTimeout(90_000);
  const jonas = await signedIn(browser, JONAS);
  const hannah = await signedIn(browser, HANNAH);
  try {
    const threadId = await startDirect(jonas.api, 'Hannah Weber', 'Hannah, how is the project going?');
    await openThread(jonas.page, 'instructor', threadId, 'Hannah Weber');
    await openThread(hannah.page, 'student', threadId, 'Jonas Okafor');
    // Online first: her answer reaches Jonas, and her outbox is empty again.
    await sendWithEnter(hannah.page, 'Jonas Okafor', 'Going well so far.');
    await expect(messageWith(jonas.page, 'Going well so far.')).toHaveCount(1);
    await outboxSettled(hannah.page);

    const banner = hannah.page.getByTestId('connection-banner');
    await hannah.context.setOffline(true);
    await expect(banner).toContainText('You are offline');

    const first = 'Offline note 1: the graph is done.';
    const second = 'Offline note 2: the write-up is next.';
    await sendWithEnter(hannah.page, 'Jonas Okafor', first);
    await sendWithEnter(hannah.page, 'Jonas Okafor', second);
    const pending = hannah.page.locator('[data-pending-id]');
    await expect(pending).toHaveCount(2);
    await expect(pending.getByTestId('delivery-state')).toHaveText([
      'Waiting for connection…',
      'Waiting for connection…',
    ]);
    await expect(banner).toContainText('2 messages are waiting to be sent.');
    // Nothing reached Jonas while she was offline.
    await expect(messageWith(jonas.page, 'Offline note')).toHaveCount(0);

    await hannah.context.setOffline(false);
    await expect(banner).toHaveText('');

    // Jonas gets each exactly once, in the order she wrote them, after her first message.
    await expect(messageWith(jonas.page, first)).toHaveCount(1);
    await expect(messageWith(jonas.page, second)).toHaveCount(1);
    const atJonas = (await shownMessages(jonas.page)).map((m) => m.text);
    const order = ['Going well so far.', first, second].map((t) => atJonas.findIndex((x) => x.includes(t)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(-1);

    // Her pending items became stored messages: no pending left, the same ids as Jonas sees.
    await expect(pending).toHaveCount(0);
    await outboxSettled(hannah.page);
    await expect(messageWith(hannah.page, first)).toHaveCount(1);
    await expect(messageWith(hannah.page, second)).toHaveCount(1);
    await expect(chat(hannah.page, 'Jonas Okafor').getByTestId('delivery-state')).toHaveText(/^(Sent|Seen)$/);
    const ids = async (page: typeof jonas.page) =>
      (await shownMessages(page)).filter((m) => m.text.includes('Offline note')).map((m) => m.id);
    expect(await ids(hannah.page)).toEqual(await ids(jonas.page));

    // And a reload changes nothing: still once each.
    await jonas.page.reload();
    await expect(messageWith(jonas.page, first)).toHaveCount(1);
    await expect(messageWith(jonas.page, second)).toHaveCount(1);
  } finally {
    await Promise.all([jonas.context.close(), hannah.context.close()]);
  }
});

test('message text is shown as text: markup stays inert, and addresses become safe links', async ({
  browser,
}) => {
  const jonas = await signedIn(browser, JONAS);
  const ravi = await signedIn(browser, RAVI);
  const dialogs: string[] = [];
  const record = (d: Dialog) => {
    dialogs.push(d.message());
    void d.dismiss();
  };
  jonas.page.on('dialog', record);
  ravi.page.on('dialog', record);
  try {
    const threadId = await startDirect(jonas.api, 'Ravi Sharma', 'Ravi, two things for you.');
    await openThread(jonas.page, 'instructor', threadId, 'Ravi Sharma');
    await openThread(ravi.page, 'student', threadId, 'Jonas Okafor');

    const markup = '<img src=x onerror=alert(1)>';
    const link = 'see https://example.com/a?b=1.';
    await sendWithEnter(jonas.page, 'Ravi Sharma', markup);
    await sendWithEnter(jonas.page, 'Ravi Sharma', link);

    // Both the sender and the reader see the literal text, and no element was made from it.
    for (const page of [jonas.page, ravi.page]) {
      await expect(messageWith(page, link)).toHaveCount(1);
      const shown = messageWith(page, markup).getByText(markup, { exact: true });
      await expect(shown).toHaveText(markup);
      await expect(page.getByTestId('message-list').locator('img')).toHaveCount(0);

      const text = messageWith(page, link).getByText(link, { exact: true });
      await expect(text).toHaveText(link);
      const anchor = messageWith(page, link).getByRole('link', { name: 'https://example.com/a?b=1' });
      await expect(anchor).toHaveAttribute('href', 'https://example.com/a?b=1');
      await expect(anchor).toHaveAttribute('rel', 'noopener noreferrer');
      await expect(anchor).toHaveAttribute('target', '_blank');
    }

    // Still nothing after a reload (the stored text, rendered from the server's page).
    await ravi.page.reload();
    await expect(messageWith(ravi.page, markup).getByText(markup, { exact: true })).toHaveText(markup);
    await expect(ravi.page.getByTestId('message-list').locator('img')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  } finally {
    await Promise.all([jonas.context.close(), ravi.context.close()]);
  }
});
