// The CSP of pages and the metrics token check: what a browser is allowed to run and connect to, in
// production and in dev, and a token compare that accepts only the configured secret.
import { describe, expect, it } from 'vitest';
import { bearerTokenMatches } from '@/platform/bearer-token';
import { parseEnv } from '@/platform/env';
import { newNonce, pageContentSecurityPolicy } from '@/platform/security-headers';

const directives = (csp: string) =>
  new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('pageContentSecurityPolicy', () => {
  it('allows only nonced scripts and the app origin over http(s) and ws(s)', () => {
    const csp = directives(
      pageContentSecurityPolicy({ nonce: 'abc', appUrl: 'http://localhost:3000', dev: false }),
    );
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'nonce-abc'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://localhost:3000', 'ws://localhost:3000']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('uses wss and upgrades insecure requests on https', () => {
    const csp = directives(
      pageContentSecurityPolicy({ nonce: 'n', appUrl: 'https://class.example.edu', dev: false }),
    );
    expect(csp.get('connect-src')).toContain('wss://class.example.edu');
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
  });

  it('allows eval and inline styles in dev mode only', () => {
    const dev = directives(
      pageContentSecurityPolicy({ nonce: 'n', appUrl: 'http://localhost:3000', dev: true }),
    );
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('style-src')).toContain("'unsafe-inline'");
  });

  it('gives each call a fresh nonce', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
  });
});

describe('bearerTokenMatches', () => {
  const secret = 'metrics-0123456789abcdef';

  it('accepts exactly the configured token', () => {
    expect(bearerTokenMatches(`Bearer ${secret}`, secret)).toBe(true);
    expect(bearerTokenMatches(`bearer ${secret}`, secret)).toBe(true);
  });

  it('refuses a missing, wrong, truncated or differently-schemed token', () => {
    for (const header of [
      null,
      undefined,
      '',
      secret,
      `Bearer ${secret}x`,
      `Bearer ${secret.slice(0, -1)}`,
      `Basic ${secret}`,
      'Bearer ',
    ]) {
      expect(bearerTokenMatches(header, secret), String(header)).toBe(false);
    }
  });

  it('refuses everyone when no token is configured', () => {
    expect(bearerTokenMatches('Bearer ', undefined)).toBe(false);
    expect(bearerTokenMatches('Bearer anything', undefined)).toBe(false);
    expect(bearerTokenMatches('Bearer anything', '')).toBe(false);
  });

  it('is configured through METRICS_TOKEN, optional and at least 16 characters', () => {
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: secret }).METRICS_TOKEN).toBe(secret);
    expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
