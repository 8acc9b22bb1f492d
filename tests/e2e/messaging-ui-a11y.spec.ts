// Accessibility of the messaging screens with real content: an axe-core scan of the instructor's
// messages page with a conversation open (and its New message dialog), the instructor dashboard,
// and the student's messages page with the conversation open finds no serious or critical
// violations. Uses a DIRECT thread between Jonas and Yuki with messages from both and a link.
import { expect, test } from './fixtures';
import { JONAS, YUKI } from './accounts';
import { seriousViolations } from './axe';
import { messageWith, openThread, postMessage, signedIn, startDirect } from './messaging-ui-helpers';

test('the messages pages and the dashboard have no serious axe violations', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  const yuki = await signedIn(browser, YUKI);
  try {
    const threadId = await startDirect(jonas.api, 'Yuki Sato', 'Yuki, your haiku sequence was lovely.');
    await postMessage(yuki.api, 'user', threadId, 'Thank you! Could you suggest some poets to read?');
    await postMessage(
      jonas.api,
      'instructor',
      threadId,
      'Start with Bashō and Issa. There is a good anthology at https://example.com/haiku.',
    );

    await openThread(jonas.page, 'instructor', threadId, 'Yuki Sato');
    await expect(messageWith(jonas.page, 'anthology')).toHaveCount(1);
    expect(await seriousViolations(jonas.page)).toEqual([]);

    await jonas.page.getByRole('button', { name: 'New message', exact: true }).click();
    const dialog = jonas.page.getByRole('dialog', { name: 'New message' });
    await expect(dialog.getByRole('radio').first()).toBeVisible();
    expect(await seriousViolations(jonas.page)).toEqual([]);
    await dialog.getByRole('tab', { name: 'Class thread' }).click();
    await expect(dialog.getByLabel('Title', { exact: true })).toBeVisible();
    expect(await seriousViolations(jonas.page)).toEqual([]);
    await jonas.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await jonas.page.goto('/instructor/dashboard');
    await expect(jonas.page.getByTestId('stat-unread')).toBeVisible();
    expect(await seriousViolations(jonas.page)).toEqual([]);

    await openThread(yuki.page, 'student', threadId, 'Jonas Okafor');
    await expect(messageWith(yuki.page, 'anthology')).toHaveCount(1);
    expect(await seriousViolations(yuki.page)).toEqual([]);
  } finally {
    await Promise.all([jonas.context.close(), yuki.context.close()]);
  }
});
