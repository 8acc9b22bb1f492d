// Class threads in real browsers: the instructor posts a Creative Writing announcement and then a
// discussion through the New message dialog, and two students (one on a phone) watch them arrive
// live. In the announcement their composer is off and says why; in the discussion a reply reaches
// the instructor and the other student live. Creative Writing's only instructor is Jonas, so Maya's
// seeded figures stay as they are.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { HUGO, JONAS, PRIYA } from './accounts';
import {
  chat,
  classId,
  composer,
  conversations,
  gotoLive,
  horizontalOverflow,
  markDocument,
  messageWith,
  messagesUrl,
  sendWithEnter,
  signedIn,
  stillSameDocument,
} from './messaging-ui-helpers';

/** Fills in the open New message dialog for a Creative Writing thread and sends it. */
async function postClassThread(
  page: Page,
  writingId: string,
  thread: { title: string; kind: 'Announcement' | 'Discussion'; content: string },
): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'New message' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('tab', { name: 'Class thread' }).click();
  await expect(dialog.getByRole('tab', { name: 'Class thread' })).toHaveAttribute('aria-selected', 'true');
  const select = dialog.getByLabel('Class', { exact: true });
  await expect(select.locator(`option[value="${writingId}"]`)).toHaveCount(1);
  await select.selectOption(writingId);
  await dialog.getByLabel('Title', { exact: true }).fill(thread.title);
  await dialog.getByRole('radio', { name: thread.kind }).check();
  await dialog.getByLabel('Message', { exact: true }).fill(thread.content);
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(dialog).toBeHidden();
  // The new thread opens for its author.
  await expect(page.getByRole('heading', { level: 2, name: thread.title })).toBeVisible();
  await expect(messageWith(page, thread.content)).toHaveCount(1);
  const id = new URL(page.url()).searchParams.get('thread');
  expect(id).toBeTruthy();
  return id!;
}

test('an announcement and a discussion reach the class live; only the discussion takes replies', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const jonas = await signedIn(browser, JONAS);
  const priya = await signedIn(browser, PRIYA);
  const hugo = await signedIn(browser, HUGO, { viewport: { width: 390, height: 844 } });
  try {
    const writingId = await classId(jonas.api, 'WRT-120');
    await Promise.all([
      gotoLive(priya.page, messagesUrl('student')),
      gotoLive(hugo.page, messagesUrl('student')),
    ]);
    await Promise.all([markDocument(priya.page), markDocument(hugo.page)]);

    // The announcement, through the dialog opened from the URL (as the dashboard's quick action does).
    const announcement = {
      title: 'Story contest rules',
      kind: 'Announcement' as const,
      content: 'Entries are due on the 30th, up to 1,500 words.',
    };
    await gotoLive(jonas.page, '/instructor/messages?compose=class');
    const announcementId = await postClassThread(jonas.page, writingId, announcement);

    for (const student of [priya, hugo]) {
      const row = conversations(student.page).locator(`li[data-thread-id="${announcementId}"] a`);
      await expect(row).toContainText(announcement.title);
      await expect(row).toContainText('Announcement · WRT-120');
      await expect(row).toContainText(announcement.content);
      await row.click();
      await expect(chat(student.page, announcement.title)).toBeVisible();
      await expect(messageWith(student.page, announcement.content)).toHaveCount(1);
      await expect(student.page.getByTestId('composer-blocked')).toContainText('only instructors');
      await expect(composer(student.page, announcement.title)).toBeDisabled();
      await expect(student.page.getByRole('button', { name: 'Send', exact: true })).toHaveCount(0);
    }
    // On the phone the chat replaces the list, and the reason is entirely on screen.
    await expect(conversations(hugo.page)).toBeHidden();
    await expect(hugo.page.getByTestId('composer-blocked')).toBeInViewport({ ratio: 1 });
    expect(await horizontalOverflow(hugo.page)).toBeLessThanOrEqual(0);
    await hugo.page.screenshot({ path: test.info().outputPath('phone-announcement.png') });
    // The instructor sees both students read it.
    await expect(chat(jonas.page, announcement.title).getByTestId('delivery-state')).toHaveText(
      'Seen by 2 of 16',
    );

    // Then a discussion, from the New message button this time.
    await hugo.page.getByRole('button', { name: 'Back to conversations' }).click();
    await expect(conversations(hugo.page)).toBeVisible();
    await jonas.page.getByRole('button', { name: 'New message', exact: true }).click();
    const discussion = {
      title: 'Favourite opening lines',
      kind: 'Discussion' as const,
      content: 'Share the first line of a story you love, and say why it works.',
    };
    const discussionId = await postClassThread(jonas.page, writingId, discussion);

    for (const student of [priya, hugo]) {
      const row = conversations(student.page).locator(`li[data-thread-id="${discussionId}"] a`);
      await expect(row).toContainText(discussion.title);
      await expect(row).toContainText('Discussion · WRT-120');
    }
    await conversations(priya.page).locator(`li[data-thread-id="${discussionId}"] a`).click();
    await conversations(hugo.page).locator(`li[data-thread-id="${discussionId}"] a`).click();
    await expect(messageWith(priya.page, discussion.content)).toHaveCount(1);
    await expect(messageWith(hugo.page, discussion.content)).toHaveCount(1);
    await expect(priya.page.getByTestId('composer-blocked')).toHaveCount(0);

    // Priya replies; Jonas and Hugo, both with the discussion open, see it live, once.
    const reply = 'It was a bright cold day in April, and the clocks were striking thirteen.';
    await sendWithEnter(priya.page, discussion.title, reply);
    await expect(messageWith(jonas.page, reply)).toHaveCount(1);
    await expect(messageWith(hugo.page, reply)).toHaveCount(1);
    await expect(messageWith(jonas.page, reply)).toContainText('Priya Nair');
    await expect(messageWith(priya.page, reply)).toHaveCount(1);
    expect(await horizontalOverflow(hugo.page)).toBeLessThanOrEqual(0);

    // None of the students' pages was reloaded: everything arrived live.
    expect(await stillSameDocument(priya.page)).toBe(true);
    expect(await stillSameDocument(hugo.page)).toBe(true);
  } finally {
    await Promise.all([jonas.context.close(), priya.context.close(), hugo.context.close()]);
  }
});
