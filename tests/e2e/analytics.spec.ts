// The analytics page on the demo seed's weeks of history, as the demo instructor: the charts and
// their tables, response times, the unanswered list, a class's engagement with a link that opens
// Send individually with the non-readers chosen, a CSV export, no serious axe violations, a phone's width,
// and the page's first-load JavaScript within the messages page's budget (250 KB gzip).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { expect, test } from './fixtures';
import { seriousViolations } from './axe';
import { horizontalOverflow, signedIn } from './messaging-ui-helpers';

const MAYA = 'maya.chen@example.edu';
const JS_BUDGET_BYTES = 250 * 1024;

test('the analytics page shows the seeded history, exports CSV, links to the composer and stays within budget', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const maya = await signedIn(browser, MAYA);
  const { page } = maya;
  try {
    const scripts = new Map<string, number>();
    page.on('response', async (res) => {
      if (res.request().resourceType() !== 'script') return;
      const body = await res.body().catch(() => null);
      if (body) scripts.set(res.url(), zlib.gzipSync(body, { level: 6 }).length);
    });
    await page.goto('/instructor/analytics');
    await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();

    // The rollups are built by the server's job a few seconds after start: the seeded figures.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText(/: [1-9]\d* sent by you, [1-9]\d* received/)).toBeVisible({
        timeout: 5_000,
      });
    }).toPass({ timeout: 60_000 });
    const perDayChart = page.getByRole('img', { name: /Messages per day from/ });
    await expect(perDayChart).toBeVisible();
    // Its axis counts whole messages, and its first and last days are labelled.
    const labels = await perDayChart.locator('text').allTextContents();
    expect(labels.filter((t) => /^\d[\d,]*$/.test(t)).length).toBeGreaterThan(1);
    expect(labels.filter((t) => /^\d+\.\d+$/.test(t))).toEqual([]);
    expect(labels.filter((t) => /^\d{4}-\d{2}-\d{2}$/.test(t))).toHaveLength(2);
    await expect(page.getByRole('img', { name: /Messages by hour and weekday/ })).toBeVisible();
    const responses = page.getByRole('region', { name: 'Instructor response time per class and week' });
    await expect(responses.getByRole('cell', { name: 'Algebra I' }).first()).toBeVisible();
    await expect(responses.getByRole('cell', { name: 'Direct messages' }).first()).toBeVisible();

    const total = [...scripts.values()].reduce((n, b) => n + b, 0);
    console.log(
      `analytics page first-load JS: ${(total / 1024).toFixed(1)} KB gzip in ${scripts.size} scripts`,
    );
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(JS_BUDGET_BYTES);

    // The chart's figures as a table, and its CSV.
    await page.getByText('Messages per day as a table').click();
    const perDay = page.getByRole('region', { name: 'Messages per day', exact: true }).last();
    await expect(perDay.getByRole('row')).toHaveCount(31);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page
        .getByRole('link', { name: /^Download CSV\W+Instructor response time per class and week$/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^response-times_.*\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('Class,Week,Student messages,Answered,Median,90th percentile');

    expect(await seriousViolations(page)).toEqual([]);

    // One class: its announcements, who read them, and a link to write to someone who has not.
    await page
      .getByRole('combobox', { name: 'Class', exact: true })
      .selectOption({ label: 'Algebra I (ALG-101)' });
    await expect(
      page.getByRole('heading', { level: 2, name: 'Student engagement: Algebra I' }),
    ).toBeVisible();
    const announcements = page.getByRole('region', { name: 'Announcements of Algebra I and who read them' });
    await expect(
      announcements.getByRole('cell', { name: 'Algebra I: weekly updates' }).first(),
    ).toBeVisible();
    await expect(page.getByRole('region', { name: 'Students of Algebra I' }).getByRole('row')).toHaveCount(
      19,
    );
    expect(await seriousViolations(page)).toEqual([]);
    const notRead = announcements
      .getByRole('link', { name: /Message those who have not read it \((\d+)\)/ })
      .first();
    const count = Number(/\((\d+)\)/.exec((await notRead.textContent()) ?? '')?.[1]);
    expect(count).toBeGreaterThan(0);
    await notRead.click();
    // Send individually opens with exactly the non-readers chosen.
    await expect(page).toHaveURL(/\/instructor\/messages\/individual\?classId=.*&to=/);
    await expect(page.getByRole('checkbox', { checked: true })).toHaveCount(count);
  } finally {
    await maya.context.close();
  }
});

test('on a phone (390 px) the analytics page fits the screen', async ({ browser }) => {
  const maya = await signedIn(browser, MAYA, { viewport: { width: 390, height: 844 } });
  try {
    await maya.page.goto('/instructor/analytics');
    await expect(maya.page.getByRole('heading', { level: 2, name: 'Messages per day' })).toBeVisible({
      timeout: 20_000,
    });
    expect(await horizontalOverflow(maya.page)).toBeLessThanOrEqual(0);
  } finally {
    await maya.context.close();
  }
});
