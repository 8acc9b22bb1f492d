// The foundation in a real browser: sign-in, the instructor dashboard with its seeded figures,
// every route of the instructor shell, and the role guards on pages and API.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PASSWORD = 'classroom-demo';
const MAYA = 'maya.chen@example.edu';
const SAM = 'sam.rivera@example.edu';

async function signIn(page: Page, email: string, next?: string) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const ROUTES = [
  ['Dashboard', '/instructor/dashboard'],
  ['Messages', '/instructor/messages'],
  ['Classes', '/instructor/classes'],
  ['Students', '/instructor/students'],
  ['Analytics', '/instructor/analytics'],
  ['Earnings', '/instructor/earnings'],
  ['Materials', '/instructor/materials'],
  ['Settings', '/instructor/settings'],
] as const;

test('an instructor signs in, sees the dashboard figures and opens every route', async ({ page }) => {
  await signIn(page, MAYA);
  await expect(page).toHaveURL(/\/instructor\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // The seed gives Maya: 7 unread (1 + 2 in DIRECT threads, 4 in the Biology discussion),
  // 15 active threads (the 4 recent ones, and from the weeks of history: 8 DIRECT conversations, the
  // Algebra and Biology weekly updates and the Biology lab discussion), 2 classes (Algebra, Biology)
  // and 30 distinct current students.
  await expect(page.getByTestId('stat-unread')).toContainText('7');
  await expect(page.getByTestId('stat-active-threads')).toContainText('15');
  await expect(page.getByTestId('stat-classes')).toContainText('2');
  await expect(page.getByTestId('stat-students')).toContainText('30');

  const nav = page.getByRole('navigation', { name: /instructor/i });
  for (const [label, href] of ROUTES) {
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole('link', { name: label, exact: true })).toHaveAttribute('aria-current', 'page');
  }

  // The area's bare address is its home, not a 404.
  await page.goto('/instructor');
  await expect(page).toHaveURL(/\/instructor\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test('the classes and students pages show real rosters', async ({ page }) => {
  await signIn(page, MAYA, '/instructor/classes');
  await expect(page).toHaveURL(/\/instructor\/classes$/);
  await expect(page.getByText('Algebra I').first()).toBeVisible();
  await expect(page.getByText('Biology Foundations').first()).toBeVisible();
  await expect(page.getByText('Creative Writing')).toHaveCount(0);
  await page.goto('/instructor/students?q=rivera');
  await expect(page.getByText('Sam Rivera', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Message Sam Rivera' })).toBeVisible();
});

test('a student who tries the instructor dashboard is refused', async ({ page }) => {
  await signIn(page, SAM);
  await expect(page).toHaveURL(/\/student$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My classes' })).toBeVisible();
  await expect(page.getByText('Algebra I')).toBeVisible();

  const res = await page.goto('/instructor/dashboard');
  expect(res?.status()).toBe(403);
  await expect(page.getByText(/don.t have access/i)).toBeVisible();
  await expect(page.getByTestId('stat-unread')).toHaveCount(0);
  // The bare /instructor refuses her the same way, before any redirect.
  const bare = await page.goto('/instructor');
  expect(bare?.status()).toBe(403);
  await expect(page).toHaveURL(/\/instructor$/);
});

test('signed out, pages redirect to sign-in and come back after it', async ({ page }) => {
  await page.goto('/instructor/students');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Finstructor%2Fstudents/);
  await page.getByLabel('Email').fill(MAYA);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/instructor\/students$/);
});

test('the sign-out page ends the session', async ({ page }) => {
  await signIn(page, SAM);
  await expect(page).toHaveURL(/\/student$/);
  await page.goto('/sign-out');
  await expect(page.getByText('You are signed in as Sam Rivera')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/student');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fstudent/);
  await page.goto('/sign-out');
  await expect(page.getByText('You are signed out.')).toBeVisible();
});

test('a wrong password shows a clear message that does not say whether the email exists', async ({
  page,
}) => {
  for (const email of [MAYA, 'nobody@example.edu']) {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('The email or password is incorrect.');
    await expect(page).toHaveURL(/\/sign-in/);
  }
});

test('the API answers 401 JSON signed out and 403 for the wrong role', async ({ page, request }) => {
  const anon = await request.get('/api/instructor/dashboard');
  expect(anon.status()).toBe(401);
  expect(await anon.json()).toEqual({
    error: { code: 'UNAUTHORIZED', message: expect.any(String), requestId: expect.any(String) },
  });

  const wrong = await request.post('/api/auth/sign-in/email', {
    data: { email: MAYA, password: 'nope-nope' },
  });
  expect(wrong.status()).toBe(401);
  expect(await wrong.json()).toEqual({
    error: {
      code: 'INVALID_EMAIL_OR_PASSWORD',
      message: 'The email or password is incorrect.',
      requestId: expect.any(String),
    },
  });

  await signIn(page, SAM);
  await expect(page).toHaveURL(/\/student$/);
  const asStudent = await page.request.get('/api/instructor/dashboard');
  expect(asStudent.status()).toBe(403);
  expect((await asStudent.json()).error.code).toBe('FORBIDDEN');

  // Signing out through the UI ends the session for pages and API alike.
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get('/api/instructor/dashboard')).status()).toBe(401);
  await signIn(page, MAYA);
  await expect(page).toHaveURL(/\/instructor\/dashboard$/);
  const asInstructor = await page.request.get('/api/instructor/dashboard');
  expect(asInstructor.status()).toBe(200);
  expect(await asInstructor.json()).toMatchObject({
    data: { unreadMessages: 7, activeThreads: 15, classes: 2, students: 30 },
  });
});

test('bad input to the API gets a JSON 4xx, never a 500 or an HTML page', async ({ request }) => {
  const cases = [
    { data: 'not json', headers: { 'content-type': 'application/json' }, status: 400 },
    { data: {}, status: 400, code: 'VALIDATION_FAILED' },
    { data: [], status: 400, code: 'VALIDATION_FAILED' },
  ];
  for (const c of cases) {
    const res = await request.post('/api/auth/sign-in/email', { data: c.data, headers: c.headers });
    expect(res.status()).toBe(c.status);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: c.code ?? expect.any(String), message: expect.any(String) });
  }
  for (const path of ['/api/no-such-route', '/api/auth/no-such-endpoint']) {
    const res = await request.get(path);
    expect(res.status()).toBe(404);
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  }
});
