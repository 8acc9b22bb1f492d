// Message search in the browser (issue 15): snippets whose text carries markup stay text (the
// highlights are <mark> elements React made, nothing the message wrote), a result opens its
// conversation at that message in a 500-message thread, briefly highlighted, the keyboard drives
// it all, and the open results pass an axe scan at phone width. Jonas (instructor) writes to Omar
// and Jack, Biology students no other spec uses.
import { expect, test } from './fixtures';
import { seriousViolations } from './axe';
import { messagesUrl, postMessage, postMessages, signedIn, startDirect } from './messaging-ui-helpers';

const JONAS = 'jonas.okafor@example.edu';
const OMAR = 'omar.farouk@example.edu';
const JACK = 'jack.wilson@example.edu';

const unique = () => `zq${Math.random().toString(36).slice(2, 8)}`;

test('highlights carrying <script> and <img onerror> stay literal text', async ({ browser }) => {
  const jonas = await signedIn(browser, JONAS);
  const jack = await signedIn(browser, JACK, { viewport: { width: 390, height: 844 } });
  const word = unique();
  const hostile = `<script>window.__searchXss = 1</script> <img src=x onerror="window.__searchXss = 2"> the ${word} rubric`;
  await startDirect(jonas.api, 'Jack Wilson', hostile);

  const page = jack.page;
  await page.goto(messagesUrl('student'));
  const box = page.getByRole('searchbox', { name: 'Search conversations and messages' });
  await box.fill(`${word} rubric`);
  const result = page.getByTestId('message-result').first();
  await expect(result).toBeVisible();

  const snippet = result.getByTestId('snippet');
  await expect(snippet).toContainText('<img src=x onerror="window.__searchXss = 2">');
  await expect(snippet).toContainText('</script>');
  // The only elements inside are the <mark>s React created for the matching words.
  expect(await snippet.locator('*').evaluateAll((els) => els.map((e) => e.tagName))).toEqual([
    'MARK',
    'MARK',
  ]);
  await expect(snippet.locator('mark')).toHaveText([word, 'rubric']);
  expect(
    await page.evaluate(() => (window as unknown as { __searchXss?: number }).__searchXss),
  ).toBeUndefined();

  // At 390 px the results fit the screen, and the open search passes axe.
  const box2 = await result.boundingBox();
  expect(box2 && box2.x >= 0 && box2.x + box2.width <= 390).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // No match: the empty state says what to do.
  await box.fill(`${word}nothing`);
  await expect(page.getByText(`No messages match “${word}nothing”, try fewer words.`)).toBeVisible();
  await jonas.context.close();
  await jack.context.close();
});

test('a result opens its 500-message conversation at the message, highlighted; keys drive the search', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const jonas = await signedIn(browser, JONAS);
  const omar = await signedIn(browser, OMAR);
  const word = unique();
  const threadId = await startDirect(jonas.api, 'Omar Farouk', 'Message 1 of the long thread');
  // The target is the 20th message, with 480 newer ones after it (posted a few at a time).
  const long = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `Message ${from + i} of the long thread`);
  await postMessages(jonas.api, 'instructor', threadId, long(2, 19));
  const targetId = await postMessage(
    jonas.api,
    'instructor',
    threadId,
    `Message 20: the lab ${word} checklist is attached`,
  );
  await postMessages(jonas.api, 'instructor', threadId, long(21, 500));

  const page = omar.page;
  await page.goto(messagesUrl('student'));
  await expect(page.getByTestId('message-scroller')).toHaveCount(0);
  // `/` focuses the search box from anywhere outside a text field.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  const box = page.getByRole('searchbox', { name: 'Search conversations and messages' });
  await expect(box).toBeFocused();
  await page.keyboard.type(`${word} checklist`);
  const result = page.getByTestId('message-result');
  await expect(result).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Conversations', level: 3 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Messages', level: 3 })).toBeVisible();

  // Down the list to the message result, then Enter.
  for (let i = 0; i < 10 && !(await result.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(result).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`thread=${threadId}&message=${targetId}`));
  const target = page.locator(`[data-message-id="${targetId}"]`);
  await expect(target).toBeInViewport({ timeout: 30_000 });
  await expect(target).toHaveAttribute('data-highlighted', 'true');
  await expect(target).toContainText(`the lab ${word} checklist`);
  // The highlight is brief.
  await expect(target).not.toHaveAttribute('data-highlighted', 'true', { timeout: 10_000 });

  // Ctrl+K comes back to the box; Escape clears it; the search is remembered for this user.
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('button', { name: `${word} checklist` })).toBeVisible();
  await jonas.context.close();
  await omar.context.close();
});
