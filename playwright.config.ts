// Browser tests in Debian's Chromium against the production build served by server.ts.
// `npm test` prepares a scratch database (E2E_DATABASE_URL or E2E_DATA_DIR) and the build.
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium';
import { E2E_AUTH_SECRET, METRICS_TOKEN } from './tests/e2e/secrets';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? '.test-data/e2e-manual';

export default defineConfig({
  testDir: 'tests/e2e',
  // Two processes need a shared PostgreSQL and Redis: the two-node spec runs in the service run
  // (CI's run 2), where nginx is installed; the embedded run has no second process to stop.
  testIgnore: process.env.E2E_DATABASE_URL && process.env.REDIS_URL ? [] : ['two-nodes-nginx.spec.ts'],
  outputDir: 'test-results/e2e-artifacts',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }],
  ],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node --import tsx server.ts',
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: baseURL,
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      SIGNIN_RATE_LIMIT_PER_MINUTE: '1000',
      SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000',
      // The browser tests seed long threads (500 messages) through the API.
      MESSAGE_RATE_LIMIT_PER_MINUTE: '100000',
      // Scheduled messages are looked for every second, so one appears at its time.
      SCHEDULED_SEND_POLL_MS: '1000',
      AUTH_SECRET: E2E_AUTH_SECRET,
      METRICS_TOKEN,
      ...(process.env.E2E_DATABASE_URL
        ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
        : { DATABASE_URL: '', DATA_DIR: dataDir }),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
  },
});
