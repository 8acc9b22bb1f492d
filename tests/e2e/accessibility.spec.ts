// Accessibility and phone layout of the foundation pages: an axe-core scan finds no serious or
// critical violations, and at 390 px the navigation works from a menu button.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { seriousViolations } from './axe';

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('classroom-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('sign-in, dashboard, messages and the student home have no serious axe violations', async ({ page }) => {
  await page.goto('/sign-in');
  expect(await seriousViolations(page)).toEqual([]);

  await signIn(page, 'maya.chen@example.edu');
  await expect(page.getByTestId('stat-unread')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/instructor/messages');
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, 'sam.rivera@example.edu');
  await expect(page.getByRole('heading', { level: 1, name: 'My classes' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the navigation opens from a menu button and the page does not scroll sideways', async ({ page }) => {
    await signIn(page, 'jonas.okafor@example.edu');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await page
      .getByRole('navigation', { name: 'Instructor' })
      .getByRole('link', { name: 'Students' })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'Students' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: test.info().outputPath('phone-students.png'), fullPage: true });
  });

  test('the keyboard reaches the sign-in form and submits it', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').focus();
    await page.keyboard.type('sam.rivera@example.edu');
    await page.keyboard.press('Tab');
    await page.keyboard.type('classroom-demo');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/student$/);
  });
});
