// Secrets the e2e server is started with (playwright.config.ts) that the specs present back to it.
export const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef';
export const E2E_AUTH_SECRET = 'e2e-secret-0123456789abcdef0123456789abcdef';
