// A self-submitting form on another origin of the same site (a sibling app on localhost, another
// port) cannot post as the signed-in instructor: SameSite=Lax lets the cookie ride along, and the
// app's own same-origin check is what refuses it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, watchBrowserLog } from './fixtures';
import { JONAS, signInApi } from './accounts';

let attacker: Server | undefined;

test.afterEach(async () => {
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  attacker = undefined;
});

for (const enctype of ['text/plain', 'application/x-www-form-urlencoded']) {
  test(`a ${enctype} form on a sibling origin is refused and posts nothing`, async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    await watchBrowserLog(context);
    await signInApi(context.request, JONAS);
    const listed = await context.request.get('/api/instructor/messages/threads?type=DIRECT');
    const { threads } = (await listed.json()).data as {
      threads: Array<{ id: string; displayTitle: string }>;
    };
    const thread = threads.find((t) => t.displayTitle === 'Lena Novak')!;
    const target = `${baseURL}/api/instructor/messages/threads/${thread.id}/messages`;
    const marker = `forged-${enctype}-${Date.now()}`;

    // The classic text/plain trick: the field's name and value join into a JSON-looking body.
    const fields =
      enctype === 'text/plain'
        ? `<input name='{"content":"${marker}","pad":"' value='"}'>`
        : `<input name="content" value="${marker}">`;
    attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!doctype html><form id="f" method="POST" action="${target}" enctype="${enctype}">${fields}</form>` +
          `<script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => attacker!.listen(0, 'localhost', resolve));
    const port = (attacker.address() as AddressInfo).port;

    const page = await context.newPage();
    const forged = page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST');
    await page.goto(`http://localhost:${port}/`);
    const response = await forged;
    // Same site, so the browser did send the session cookie: the refusal is the app's own check.
    expect((await response.request().allHeaders()).cookie ?? '').toContain('session_token');
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe('INVALID_ORIGIN');

    const after = await context.request.get(
      `/api/instructor/messages/threads/${thread.id}/messages?limit=100`,
    );
    const contents = ((await after.json()).data.messages as Array<{ content: string | null }>).map(
      (m) => m.content,
    );
    expect(contents.some((c) => c?.includes(marker))).toBe(false);
    await context.close();
  });
}
