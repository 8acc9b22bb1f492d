// Issue 19's classroom tools in Chromium: an instructor reminds the students who have not read an
// announcement and watches the roll-up move as one reads it (on a phone); a discussion reply with
// an @mention and a reaction, seen live by the other student; and the rough edges (a roster's
// Message button, demo-only sign-in hints, mark all read with undo). axe finds nothing serious,
// and the phone's 390 px screen never scrolls sideways.
import { expect, test } from './fixtures';
import { JONAS } from './accounts';
import { seriousViolations } from './axe';
import {
  chat,
  classId,
  composer,
  gotoLive,
  expectWithinWidth,
  horizontalOverflow,
  messageWith,
  messagesUrl,
  openThread,
  recipientId,
  signedIn,
} from './messaging-ui-helpers';

const ELENA = 'elena.petrova@example.edu';
const FATIMA = 'fatima.diallo@example.edu';
const SOFIA = 'sofia.rossi@example.edu';
const OMAR = 'omar.farouk@example.edu';
const PHONE = { viewport: { width: 390, height: 844 } };

async function postClassThread(
  api: import('@playwright/test').APIRequestContext,
  kind: 'announcement' | 'discussion',
  title: string,
  content: string,
): Promise<string> {
  const writing = await classId(api, 'WRT-120');
  const res = await api.post('/api/instructor/messages/threads', {
    data: { type: 'CLASS', classId: writing, title, kind, content },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data.thread.id as string;
}

test('an instructor nudges the non-readers and sees the roll-up move as a student reads', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const tag = Date.now().toString(36);
  const title = `Field trip forms ${tag}`;
  const jonas = await signedIn(browser, JONAS);
  const elena = await signedIn(browser, ELENA, PHONE);
  try {
    const threadId = await postClassThread(jonas.api, 'announcement', title, `Bring the signed form ${tag}.`);
    await openThread(jonas.page, 'instructor', threadId, title);
    const remind = jonas.page.getByRole('button', { name: /^Remind the \d+ who haven’t read this$/ });
    await expect(remind).toBeVisible();
    await remind.click();
    await jonas.page.getByLabel(/^Reminder to the \d+ who haven’t read it/).fill(`Please read it ${tag}`);
    await jonas.page.getByRole('button', { name: 'Send reminders' }).click();
    await expect(jonas.page.getByText(/^Reminded \d+ students?\./)).toBeVisible();
    await jonas.page.getByRole('link', { name: 'See who has read it' }).click();
    await expect(
      jonas.page.getByRole('heading', { level: 1, name: 'Reminder: who has read it' }),
    ).toBeVisible();
    const read = jonas.page.getByTestId('rollup-read');
    await expect(read).toHaveText('0');
    const sent = Number(await jonas.page.getByTestId('rollup-sent').textContent());
    expect(sent).toBeGreaterThan(1);
    expect(await seriousViolations(jonas.page)).toEqual([]);

    // Elena, on her phone, opens the reminder in her own conversation with Jonas.
    await gotoLive(elena.page, messagesUrl('student'));
    await elena.page.getByRole('link', { name: new RegExp(`Please read it ${tag}`) }).click();
    await expect(messageWith(elena.page, `Please read it ${tag}`)).toHaveCount(1);
    await expect(messageWith(elena.page, `Please read it ${tag}`).getByRole('link')).toHaveAttribute(
      'href',
      new RegExp(`/student/messages\\?thread=${threadId}$`),
    );
    expect(await horizontalOverflow(elena.page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(elena.page)).toEqual([]);

    // The roll-up moves without a reload.
    await expect(read).toHaveText('1');
    await expect(
      jonas.page.getByTestId('rollup-row').filter({ hasText: 'Elena Petrova' }).getByRole('cell').nth(1),
    ).toHaveText('Read');
  } finally {
    await Promise.all([jonas.context.close(), elena.context.close()]);
  }
});

test('an instructor sends individually with a file; each student downloads only their own', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const tag = Date.now().toString(36);
  const jonas = await signedIn(browser, JONAS);
  const elena = await signedIn(browser, ELENA);
  const fatima = await signedIn(browser, FATIMA);
  try {
    const writing = await classId(jonas.api, 'WRT-120');
    const chosen = [
      await recipientId(jonas.api, 'Elena Petrova'),
      await recipientId(jonas.api, 'Fatima Diallo'),
    ];
    const page = jonas.page;
    await page.goto(
      `/instructor/messages/individual?classId=${writing}&${chosen.map((id) => `to=${id}`).join('&')}`,
    );
    await expect(page.getByText(/^Recipients \(2 of \d+\)$/)).toBeVisible();
    await page.getByLabel('Message', { exact: true }).fill(`Your reading list ${tag}`);
    // The composer's own attach control: a chip with progress, then "Ready to send".
    await page.getByTestId('attach-input').setInputFiles({
      name: `reading-list-${tag}.pdf`,
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      ),
    });
    await expect(page.getByTestId('upload-chip')).toContainText('Ready to send');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send to 2 students' }).click();
    await expect(page).toHaveURL(/\/instructor\/messages\/individual\/[^/?]+$/);
    const batchId = page.url().split('/').pop()!;

    const rollup = await jonas.api.get(`/api/instructor/messages/individual/${batchId}`);
    const { recipients } = (await rollup.json()).data as {
      recipients: Array<{ name: string; threadId: string | null }>;
    };
    const fileOf = async (student: typeof elena, name: string) => {
      const threadId = recipients.find((r) => r.name === name)!.threadId!;
      const res = await student.api.get(`/api/user/messages/threads/${threadId}/messages`);
      expect(res.status(), await res.text()).toBe(200);
      const { messages } = (await res.json()).data as {
        messages: Array<{ content: string | null; attachments: Array<{ name: string; url: string }> }>;
      };
      const sent = messages.find((m) => m.content === `Your reading list ${tag}`)!;
      expect(sent.attachments.map((a) => a.name)).toEqual([`reading-list-${tag}.pdf`]);
      return sent.attachments[0]!.url;
    };
    const elenas = await fileOf(elena, 'Elena Petrova');
    const fatimas = await fileOf(fatima, 'Fatima Diallo');
    expect(elenas).not.toBe(fatimas);
    for (const [student, own, other] of [
      [elena, elenas, fatimas],
      [fatima, fatimas, elenas],
    ] as const) {
      const mine = await student.api.get(own);
      expect(mine.status()).toBe(200);
      expect((await mine.body()).subarray(0, 5).toString()).toBe('%PDF-');
      expect((await student.api.get(other)).status()).toBe(404);
    }
  } finally {
    await Promise.all([jonas.context.close(), elena.context.close(), fatima.context.close()]);
  }
});

test('a discussion reply with a mention and a reaction is seen live by another student', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const tag = Date.now().toString(36);
  const title = `Workshop questions ${tag}`;
  // Long enough that its quote is cut to one line on Elena's phone, never wider than the screen.
  const question = `Which poem are you reading aloud at Friday's workshop, and would you like notes on your delivery? ${tag}`;
  const jonas = await signedIn(browser, JONAS);
  const fatima = await signedIn(browser, FATIMA);
  const elena = await signedIn(browser, ELENA, PHONE);
  try {
    const threadId = await postClassThread(jonas.api, 'discussion', title, question);
    await Promise.all([
      openThread(fatima.page, 'student', threadId, title),
      openThread(elena.page, 'student', threadId, title),
    ]);

    // Fatima replies to the question and mentions Elena through the autocomplete.
    const original = messageWith(fatima.page, question);
    await original.hover();
    await original.getByRole('button', { name: /^Reply to Jonas Okafor’s message/ }).click();
    await expect(fatima.page.getByTestId('replying-to')).toContainText(question);
    const box = composer(fatima.page, title);
    await box.pressSequentially('@Ele');
    await expect(fatima.page.getByRole('option', { name: 'Elena Petrova' })).toBeVisible();
    await box.press('Enter');
    await expect(box).toHaveValue('@Elena Petrova ');
    await box.pressSequentially(`shall we pair up? ${tag}`);
    await box.press('Enter');
    await expect(box).toHaveValue('');

    // Elena sees it live: the quote of the question, and that it mentions her.
    const reply = messageWith(elena.page, `shall we pair up? ${tag}`);
    await expect(reply).toHaveCount(1);
    await expect(reply.getByTestId('reply-quote')).toContainText('Jonas Okafor');
    await expect(reply.locator('[data-mentions-me="true"]')).toHaveCount(1);
    await expectWithinWidth(elena.page, reply.getByTestId('reply-quote'));
    await expectWithinWidth(elena.page, reply.locator('[data-mentions-me="true"]'));

    // Elena reacts; Fatima sees the count live, with who gave it.
    await reply.getByRole('button', { name: /^React to Fatima Diallo’s message/ }).click();
    await elena.page.getByRole('button', { name: 'React with 👍' }).click();
    const mine = messageWith(fatima.page, `shall we pair up? ${tag}`);
    await expect(mine.getByRole('button', { name: /^👍 1: Elena Petrova/ })).toBeVisible();

    // The quote jumps to the original.
    await reply.getByTestId('reply-quote').click();
    await expect(elena.page).toHaveURL(/[?&]message=/);
    await expect(chat(elena.page, title)).toBeVisible();

    expect(await horizontalOverflow(elena.page)).toBeLessThanOrEqual(0);
    for (const page of [fatima.page, elena.page]) expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await Promise.all([jonas.context.close(), fatima.context.close(), elena.context.close()]);
  }
});

test('a scheduled announcement waits in the Scheduled list and appears at its time', async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = Date.now().toString(36);
  const title = `Snow day ${tag}`;
  const jonas = await signedIn(browser, JONAS);
  const omar = await signedIn(browser, OMAR, PHONE);
  try {
    const writing = await classId(jonas.api, 'WRT-120');
    const res = await jonas.api.post('/api/instructor/messages/scheduled', {
      data: {
        classId: writing,
        title,
        kind: 'announcement',
        content: `No workshop today ${tag}.`,
        // Far enough out that Omar's page is open before it goes, even on a loaded machine.
        sendAt: new Date(Date.now() + 30_000).toISOString(),
        timeZone: 'Europe/Berlin',
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    await jonas.page.goto('/instructor/messages/scheduled');
    await expect(jonas.page.getByTestId('scheduled-item').filter({ hasText: title })).toBeVisible();
    expect(await seriousViolations(jonas.page)).toEqual([]);

    // Omar, on his phone, does not have it yet; it arrives live at its time.
    await gotoLive(omar.page, messagesUrl('student'));
    const row = omar.page.getByRole('link', { name: new RegExp(title) });
    await expect(row).toHaveCount(0);
    await expect(row).toBeVisible({ timeout: 60_000 });
    await row.click();
    await expect(messageWith(omar.page, `No workshop today ${tag}.`)).toHaveCount(1);
    expect(await horizontalOverflow(omar.page)).toBeLessThanOrEqual(0);

    // Sent: it leaves the Scheduled list.
    await jonas.page.reload();
    await expect(jonas.page.getByTestId('scheduled-item').filter({ hasText: title })).toHaveCount(0);
  } finally {
    await Promise.all([jonas.context.close(), omar.context.close()]);
  }
});

test('rough edges: a roster’s Message button, demo sign-in hints, mark all read with undo', async ({
  browser,
  page,
}) => {
  test.setTimeout(90_000);
  // Demo mode (the seeded accounts exist): the sign-in page names them, not a terminal.
  await page.goto('/sign-in');
  await expect(page.getByTestId('demo-hint')).toContainText('maya.chen@example.edu');
  await expect(page.getByText(/terminal/)).toHaveCount(0);

  const jonas = await signedIn(browser, JONAS, PHONE);
  try {
    await jonas.page.goto('/instructor/students?q=Elena');
    expect(await horizontalOverflow(jonas.page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(jonas.page)).toEqual([]);
    await jonas.page.getByRole('link', { name: 'Message Elena Petrova' }).click();
    // An existing conversation opens; otherwise the new-message form, addressed to her.
    await expect(jonas.page).toHaveURL(/\/instructor\/messages\?(thread|to)=/);
    await expect(
      jonas.page.getByRole('heading', { level: 2, name: 'Elena Petrova' }).or(jonas.page.getByRole('dialog')),
    ).toBeVisible();
  } finally {
    await jonas.context.close();
  }

  // Sofia (Algebra only, in no other spec) has the seed's unread class threads: all read, then back.
  const sofia = await signedIn(browser, SOFIA, PHONE);
  try {
    await gotoLive(sofia.page, messagesUrl('student'));
    const badge = sofia.page.getByTestId('unread-badge');
    await expect(badge).toBeVisible();
    const before = await badge.getAttribute('data-value');
    await sofia.page.getByRole('button', { name: 'Mark all as read' }).click();
    const status = sofia.page.getByTestId('mark-all-read-status');
    await expect(status).toHaveText(/^Marked \d+ conversations? as read\.$/);
    await expect(badge).toBeHidden();
    await sofia.page.getByRole('button', { name: 'Undo' }).click();
    await expect(status).toHaveText('Undone: those conversations are unread again.');
    await expect(badge).toHaveAttribute('data-value', before!);
    expect(await horizontalOverflow(sofia.page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(sofia.page)).toEqual([]);
  } finally {
    await sofia.context.close();
  }
});
