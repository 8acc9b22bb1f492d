// The `test` every e2e spec imports: Playwright's own, plus a watch on each browser context a test
// opens (its `page`, and those signedIn() creates) that records the console and the page's
// `securitypolicyviolation` events, and fails the test on any Content-Security-Policy violation.
import { test as base, expect, type BrowserContext } from '@playwright/test';

export { expect };

interface BrowserLog {
  console: string[];
  violations: string[];
}

const VIOLATION_MARK = '[csp-violation]';

// A worker runs one test at a time, so the running test's log can live here; this is what lets
// helpers that make their own contexts (signedIn) report into it without a fixture parameter.
let running: BrowserLog | undefined;

/** Records a context's console and CSP violations into the running test's log. Call before any page opens. */
export async function watchBrowserLog(context: BrowserContext): Promise<void> {
  const log = running;
  if (!log) throw new Error('watchBrowserLog() runs inside a test that imports tests/e2e/fixtures.ts');
  // Injected by Playwright rather than by the page, so the page's own CSP does not block it.
  await context.addInitScript((mark) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `${mark} ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  }, VIOLATION_MARK);
  context.on('console', (message) => {
    const line = `${message.type()}: ${message.text()} (${message.location().url})`;
    log.console.push(line);
    // Chromium's own report ("Refused to … because it violates the following Content Security Policy
    // directive") and the event above both count.
    if (message.text().startsWith(VIOLATION_MARK) || message.text().includes('Content Security Policy')) {
      log.violations.push(line);
    }
  });
}

// The fixtures' second parameter is named `provide`, not Playwright's usual `use`, which the React
// hooks lint rule would take for React's use().
export const test = base.extend<{ browserLog: BrowserLog }>({
  browserLog: [
    async ({ browserName }, provide, testInfo) => {
      const log: BrowserLog = { console: [], violations: [] };
      running = log;
      try {
        await provide(log);
      } finally {
        running = undefined;
      }
      const failed = testInfo.status !== testInfo.expectedStatus || log.violations.length > 0;
      if (failed && log.console.length > 0) {
        await testInfo.attach(`${browserName}-console.txt`, {
          body: log.console.join('\n'),
          contentType: 'text/plain',
        });
      }
      expect(log.violations, 'Content-Security-Policy violations in the browser').toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, browserLog }, provide) => {
    // Depending on browserLog makes it set up before, and torn down after, the test's own context.
    void browserLog;
    await watchBrowserLog(context);
    await provide(context);
  },
});
