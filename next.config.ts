import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // forbidden() renders app/forbidden.tsx with a real 403 for a signed-in user of the wrong role.
  experimental: { authInterrupts: true },
  // Native/WASM and worker-thread packages must be loaded from node_modules, not bundled:
  // PGlite ships its WASM next to its JS, and the DB handle is shared with server.ts through globalThis.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pino', 'pino-pretty', 'ioredis', 'prom-client'],
  poweredByHeader: false,
};

export default nextConfig;
