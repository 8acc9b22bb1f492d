// Secrets the e2e server is started with (playwright.config.ts) that the specs present back to it.
export const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef';
