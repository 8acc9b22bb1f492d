import type { NextConfig } from 'next';
import { API_CACHE_CONTROL, FIXED_SECURITY_HEADERS } from './src/platform/security-headers';

const fixedHeaders = Object.entries(FIXED_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // forbidden() renders app/forbidden.tsx with a real 403 for a signed-in user of the wrong role.
  experimental: { authInterrupts: true },
  // Native/WASM and worker-thread packages must be loaded from node_modules, not bundled:
  // PGlite ships its WASM next to its JS, and the DB handle is shared with server.ts through globalThis.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pg',
    'pino',
    'pino-pretty',
    'ioredis',
    'prom-client',
    'sharp',
    'busboy',
    'file-type',
    '@aws-sdk/client-s3',
  ],
  poweredByHeader: false,
  // Headers that depend on nothing at run time are fixed here, at build time, for every path (static
  // files included). The CSP (a nonce per request) and HSTS (APP_URL) come from src/proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: fixedHeaders },
      // Users' files (/api/attachments/…) set their own: private, revalidated by ETag.
      {
        source: '/api/:path((?!attachments/).*)',
        headers: [{ key: 'Cache-Control', value: API_CACHE_CONTROL }],
      },
    ];
  },
};

export default nextConfig;
