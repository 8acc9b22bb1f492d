// The security edge of the production server: malformed URLs and unknown methods are JSON 4xx (never
// a 500), pages, API responses and both 404s carry the security headers and a nonce CSP, and
// /api/metrics wants the scrape token. That the CSP breaks nothing is checked by every spec, through
// the browser-log watch in fixtures.ts.
import type { APIResponse } from '@playwright/test';
import { expect, test } from './fixtures';
import { MALFORMED_PATHS } from '../support/malformed-urls';
import { METRICS_TOKEN } from './secrets';

const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

function expectSecurityHeaders(res: APIResponse) {
  const headers = res.headers();
  expect(headers['x-content-type-options'], res.url()).toBe('nosniff');
  expect(headers['referrer-policy'], res.url()).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options'], res.url()).toBe('DENY');
  expect(headers['content-security-policy'], res.url()).toContain("frame-ancestors 'none'");
  // The e2e server's APP_URL is http://localhost: no HSTS there.
  expect(headers['strict-transport-security'], res.url()).toBeUndefined();
}

async function expectJsonError(res: APIResponse, status: number, code: string) {
  expect(res.status(), res.url()).toBe(status);
  expect(res.headers()['content-type'], res.url()).toContain('application/json');
  expect((await res.json()).error.code, res.url()).toBe(code);
}

test('malformed URLs are a JSON 400 and unsupported methods a JSON 405, never a 5xx', async ({ request }) => {
  for (const url of MALFORMED_PATHS) {
    for (const method of ['GET', 'POST']) {
      const res = await request.fetch(url, { method });
      await expectJsonError(res, 400, 'BAD_REQUEST');
      expectSecurityHeaders(res);
    }
  }
  for (const method of ['TRACE', 'FOO']) {
    const res = await request.fetch('/api/health', { method });
    await expectJsonError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers()['allow']).toBe(ALLOW);
    expectSecurityHeaders(res);
  }
});

test('a page carries the security headers and a fresh CSP nonce on its scripts', async ({ request }) => {
  const nonces = new Set<string>();
  for (let i = 0; i < 2; i++) {
    const res = await request.get('/sign-in');
    expect(res.status()).toBe(200);
    expectSecurityHeaders(res);
    const csp = res.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("'strict-dynamic'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/connect-src [^;]*ws:\/\/localhost:\d+/);
    // Next stamped the nonce from the request's CSP header on its scripts.
    expect(await res.text()).toContain(`nonce="${nonce}"`);
    nonces.add(nonce ?? '');
  }
  expect(nonces.size).toBe(2);
});

test('an API response is no-store with the security headers', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expectSecurityHeaders(res);
  expect(res.headers()['cache-control']).toBe('no-store');
});

test('the page 404 and the API 404 carry the security headers', async ({ request, page }) => {
  const pageMissing = await request.get('/no-such-page');
  expect(pageMissing.status()).toBe(404);
  expectSecurityHeaders(pageMissing);
  expect(pageMissing.headers()['content-security-policy']).toContain("'nonce-");

  const apiMissing = await request.get('/api/no-such-route');
  await expectJsonError(apiMissing, 404, 'NOT_FOUND');
  expectSecurityHeaders(apiMissing);
  expect(apiMissing.headers()['cache-control']).toBe('no-store');

  // The 404 page renders and runs under its CSP (the fixture fails the test on any violation).
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});

test('/api/metrics wants the scrape token', async ({ request }) => {
  await expectJsonError(await request.get('/api/metrics'), 401, 'UNAUTHORIZED');
  const wrong = await request.get('/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
  await expectJsonError(wrong, 401, 'UNAUTHORIZED');
  expect(wrong.headers()['www-authenticate']).toBe('Bearer realm="metrics"');

  const right = await request.get('/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(right.status()).toBe(200);
  expect(right.headers()['content-type']).toContain('text/plain');
  expect(await right.text()).toContain('process_cpu');
  expectSecurityHeaders(right);
});
