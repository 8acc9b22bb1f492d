// Vitest setup: a fixed auth secret and quiet logs, before any module reads the environment.
process.env.AUTH_SECRET ??= 'test-secret-0123456789abcdef0123456789abcdef';
process.env.APP_URL ??= 'http://localhost:3000';
process.env.LOG_LEVEL ??= 'silent';
