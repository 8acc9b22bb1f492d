// Realtime test harness: the app's Socket.IO server on an ephemeral port, either in this process
// (sharing the test's services and event bus, so REST handlers called here reach its sockets) or
// as a real child process (realtime-node.ts) that can be killed with SIGKILL and restarted.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RateLimiter } from '@/platform/rate-limit';
import { createMessagingClient, type MessagingClient, type MessagingClientOptions } from '@/realtime/client';
import { createRealtime, type Realtime, type RealtimeOptions } from '@/realtime/io';
import { spawnListening } from './node-process';

/** Load tests send far more than 30 messages a minute per user; the limit has its own tests. */
/** The cross-process tests need both shared services: Postgres for the nodes, Redis between them. */
export const CLUSTER_DATABASE_URL = process.env.DATABASE_URL;
export const CLUSTER_REDIS_URL = process.env.REDIS_URL;
export const CLUSTER = !!(CLUSTER_DATABASE_URL && CLUSTER_REDIS_URL);

export const unlimited: RateLimiter = {
  kind: 'memory',
  close: async () => undefined,
  consume: async (_key, rule) => ({ allowed: true, remaining: rule.limit, retryAfterMs: 0 }),
};

export interface RealtimeServer {
  url: string;
  realtime: Realtime;
  close(): Promise<void>;
}

export async function startRealtimeServer(
  services: RealtimeOptions['services'],
  opts: Pick<RealtimeOptions, 'redisUrl' | 'sessionRecheckMs' | 'threadUpdateEmitsPerSecond'> = {},
): Promise<RealtimeServer> {
  const http = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const realtime = await createRealtime(http, { services, ...opts });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    realtime,
    close: async () => {
      await realtime.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export interface NodeEnv {
  /** Postgres URL; without it DATA_DIR (an embedded database folder) is used. */
  DATABASE_URL?: string;
  DATA_DIR?: string;
  REDIS_URL?: string;
  AUTH_SECRET: string;
  /** How often the node re-checks its sockets' sessions (ms); the app's 60 s default otherwise. */
  SESSION_RECHECK_MS?: string;
}

export interface AppNode {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown. Resolves with the exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
}

const NODE_MAIN = path.resolve(import.meta.dirname, 'realtime-node.ts');

export interface SpawnOptions {
  /** Extra flags for node before the script (e.g. `--expose-gc`, so GET /__memory can collect first). */
  nodeArgs?: string[];
}

/**
 * Spawns a realtime server process. `port` 0 picks a free one; pass the old port to restart a
 * killed node where its clients will reconnect.
 */
export async function spawnAppNode(env: NodeEnv, port = 0, opts: SpawnOptions = {}): Promise<AppNode> {
  const {
    child,
    port: listening,
    exited,
  } = await spawnListening(NODE_MAIN, {
    env: { ...env, LOG_LEVEL: process.env.NODE_LOG_LEVEL ?? 'warn' },
    port,
    nodeArgs: opts.nodeArgs,
    label: 'realtime node',
  });
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
  };
}

/** A client for a signed-in user (cookie header), websocket only, quick to reconnect. */
export function clientFor(
  url: string,
  cookie: string,
  opts: Omit<MessagingClientOptions, 'url' | 'headers'> = {},
): MessagingClient {
  return createMessagingClient({
    url,
    headers: { cookie },
    transports: ['websocket'],
    ackTimeoutMs: 5_000,
    ...opts,
    socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 1_000, ...opts.socketOptions },
  });
}
