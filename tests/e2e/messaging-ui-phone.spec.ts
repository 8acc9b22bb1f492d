// The messages screen at phone width (390 × 844): the list, then the conversation on its own
// screen with a Back button, sending from it, and back to the list, without sideways scrolling.
// Screenshots are kept as test artifacts; with UPDATE_SCREENSHOTS=1 the phone and desktop ones are
// also written to docs/screenshots for the README.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { JONAS, NORA } from './accounts';
import {
  chat,
  composer,
  conversations,
  expectWithinWidth,
  gotoLive,
  horizontalOverflow,
  messageWith,
  messagesUrl,
  openThread,
  postMessage,
  sendWithEnter,
  signedIn,
  startDirect,
  threadRow,
} from './messaging-ui-helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, 'the element is rendered').toBeTruthy();
  return { ...b!, bottom: b!.y + b!.height, right: b!.x + b!.width, middle: b!.y + b!.height / 2 };
}

/**
 * On a phone a message's actions take a line of their own under the bubble, always shown (no
 * hover on a touch screen), so a long message's bubble gets the column's width, not what the
 * buttons beside it would leave (before: 195–250 px of a 332 px column, 59–75 %).
 */
async function expectActionsUnderBubble(page: Page, message: Locator, action: RegExp) {
  const bubble = await box(message.getByTestId('message-bubble'));
  const column = await box(page.getByTestId('message-list'));
  expect(bubble.width / column.width, 'a long message is 85 % of the column wide').toBeGreaterThan(0.8);
  await expect(message.getByTestId('message-actions')).toHaveCSS('opacity', '1');
  const button = message.getByRole('button', { name: action });
  await expect(button).toBeVisible();
  expect((await box(button)).y, 'the action under the bubble').toBeGreaterThanOrEqual(bubble.bottom);
  await expectWithinWidth(page, button);
}

/** Saves a screenshot as an artifact, and to docs/screenshots when asked to. */
function publish(artifact: string, docsName: string) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(process.cwd(), 'docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(artifact, path.join(dir, docsName));
}

test('on a phone: the list, a conversation on its own screen, a reply, and back', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS, DESKTOP);
  const nora = await signedIn(browser, NORA, PHONE);
  try {
    const threadId = await startDirect(
      jonas.api,
      'Nora Haddad',
      'Hi Nora, I read your lab report draft. The method section is clear and complete.',
    );
    await postMessage(
      jonas.api,
      'instructor',
      threadId,
      'One thing to fix: label the axes of both graphs. The rubric is at https://example.com/rubric.',
    );

    // The list screen.
    await gotoLive(nora.page, messagesUrl('student'));
    const row = threadRow(nora.page, threadId);
    await expect(row).toContainText('Jonas Okafor');
    await expect(row).toContainText('label the axes');
    await expect(nora.page.getByText('Choose a conversation')).toBeHidden();
    // The list fits the screen: its rows, their times and the search box are not cut off.
    expect(await horizontalOverflow(nora.page)).toBeLessThanOrEqual(0);
    await expectWithinWidth(nora.page, conversations(nora.page));
    await expectWithinWidth(nora.page, row.locator('time'));
    await expectWithinWidth(nora.page, nora.page.getByRole('searchbox', { name: 'Search conversations' }));
    // Mark all as read shares the class filter's line, centred with it (it used to wrap under it,
    // 8 px in from the left edge), and fits the screen.
    const markAll = await box(nora.page.getByRole('button', { name: 'Mark all as read' }));
    const classFilter = await box(conversations(nora.page).getByRole('combobox', { name: 'Class' }));
    expect(Math.abs(markAll.middle - classFilter.middle)).toBeLessThanOrEqual(1);
    expect(markAll.x).toBeGreaterThan(classFilter.right);
    await expectWithinWidth(nora.page, nora.page.getByRole('button', { name: 'Mark all as read' }));
    await nora.page.screenshot({ path: test.info().outputPath('phone-list.png') });

    // The conversation replaces the list.
    await row.click();
    const chatPane = chat(nora.page, 'Jonas Okafor');
    await expect(chatPane).toBeVisible();
    await expect(conversations(nora.page)).toBeHidden();
    await expect(messageWith(nora.page, 'label the axes')).toHaveCount(1);
    await sendWithEnter(nora.page, 'Jonas Okafor', 'Thank you! I will fix the graphs tonight.');
    await expect(messageWith(nora.page, 'I will fix the graphs tonight.')).toHaveCount(1);
    await expect(chatPane.getByTestId('delivery-state')).toHaveText('Sent');
    // The message box and Send are entirely on screen, and nothing scrolls sideways.
    await expect(composer(nora.page, 'Jonas Okafor')).toBeInViewport({ ratio: 1 });
    await expect(nora.page.getByRole('button', { name: 'Send', exact: true })).toBeInViewport({ ratio: 1 });
    expect(await horizontalOverflow(nora.page)).toBeLessThanOrEqual(0);
    // The actions, under the bubbles: Jonas's message (React) and hers (React, Edit, Delete).
    const fromJonas = messageWith(nora.page, 'label the axes');
    await expectActionsUnderBubble(nora.page, fromJonas, /^React to Jonas Okafor’s message/);
    const hers = messageWith(nora.page, 'I will fix the graphs tonight.');
    for (const action of [/^React to your message/, /^Edit your message/, /^Delete your message/]) {
      await expectActionsUnderBubble(nora.page, hers, action);
    }
    // The emoji under Jonas's message open rightward, on screen, and close again.
    const react = fromJonas.getByRole('button', { name: /^React to Jonas Okafor’s message/ });
    await react.tap();
    const emoji = nora.page.getByRole('group', { name: 'Reactions' });
    await expect(emoji).toBeInViewport({ ratio: 1 });
    await expectWithinWidth(nora.page, emoji);
    await react.tap();
    await expect(emoji).toBeHidden();
    const phoneChat = test.info().outputPath('phone-chat.png');
    await nora.page.screenshot({ path: phoneChat });
    publish(phoneChat, 'messages-phone.png');

    // Back to the list, which shows her reply as the last message.
    await chatPane.getByRole('button', { name: 'Back to conversations' }).click();
    await expect(conversations(nora.page)).toBeVisible();
    await expect(nora.page).not.toHaveURL(/thread=/);
    await expect(row).toContainText('You: Thank you! I will fix the graphs tonight.');
    expect(await horizontalOverflow(nora.page)).toBeLessThanOrEqual(0);
    // The browser's Back returns to the conversation.
    await nora.page.goBack();
    await expect(nora.page).toHaveURL(new RegExp(`thread=${threadId}`));
    await expect(chatPane).toBeVisible();

    // The same conversation on a desktop, list and conversation side by side.
    await openThread(jonas.page, 'instructor', threadId, 'Nora Haddad');
    await expect(messageWith(jonas.page, 'I will fix the graphs tonight.')).toHaveCount(1);
    await expect(conversations(jonas.page)).toBeVisible();
    await expect(chat(jonas.page, 'Nora Haddad').getByTestId('delivery-state')).toHaveText('Seen');
    // Opening it read Nora's reply: the row's unread count goes without a reload.
    await expect(threadRow(jonas.page, threadId)).toHaveAttribute('aria-current', 'page');
    await expect(threadRow(jonas.page, threadId)).not.toContainText('unread');
    // On a desktop the actions stay beside the bubble (left of his own), revealed on hover.
    const hisFirst = messageWith(jonas.page, 'lab report draft');
    const bubble = await box(hisFirst.getByTestId('message-bubble'));
    const edit = await box(hisFirst.getByRole('button', { name: /^Edit your message/ }));
    expect(edit.right).toBeLessThanOrEqual(bubble.x);
    expect(edit.middle).toBeGreaterThan(bubble.y);
    expect(edit.middle).toBeLessThan(bubble.bottom);
    await expect(hisFirst.getByTestId('message-actions')).toHaveCSS('opacity', '0');
    // No loading or error status in the list (mark-all-read's live region is always there, empty).
    await expect(
      conversations(jonas.page).locator('[role="status"]:not([data-testid="mark-all-read-status"])'),
    ).toHaveCount(0);
    expect(await horizontalOverflow(jonas.page)).toBeLessThanOrEqual(0);
    const desktop = test.info().outputPath('messages-desktop.png');
    await jonas.page.screenshot({ path: desktop });
    publish(desktop, 'messages-desktop.png');
  } finally {
    await Promise.all([jonas.context.close(), nora.context.close()]);
  }
});
