// Child processes for tests and benches: a TypeScript entry run under tsx, which prints
// `LISTENING <port>` once it serves. The port comes in as LISTEN_PORT (0 = any free one), not
// PORT, which the app's env validation keeps for its own meaning (1–65535).
import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ListeningProcess {
  child: ChildProcess;
  port: number;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export async function spawnListening(
  script: string,
  opts: { env?: Record<string, string | undefined>; port?: number; nodeArgs?: string[]; label: string },
): Promise<ListeningProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    env: { ...process.env, ...opts.env, LISTEN_PORT: String(opts.port ?? 0) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`${opts.label} did not start in 30 s`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /LISTENING (\d+)/.exec(buffer);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${opts.label} exited with ${code} before listening`));
      });
    });
    return { child, port, exited };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

/** The port a child should listen on. */
export function listenPort(): number {
  return Number(process.env.LISTEN_PORT ?? 0);
}

/**
 * GET /__memory: process.memoryUsage() after a few full collections (when node runs with
 * --expose-gc; `gc` says whether it could), so heap and RSS deltas count live objects only.
 * Anything else is a 404. For the servers of bench:realtime.
 */
export function memoryRoute(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' || req.url !== '/__memory') {
    res.statusCode = 404;
    res.end();
    return;
  }
  void (async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 4 && gc; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ...process.memoryUsage(), gc: !!gc }));
  })();
}

/**
 * A background worker process for the exactly-once tests (notify-node.ts, scheduled-node.ts): named
 * NODE_NAME (its lease holder, its SMTP greeting) and logging warnings only. `lines` collects what it
 * prints to stdout after `LISTENING`, line by line, and `onLine` hears each as it arrives.
 */
export async function spawnWorker(
  script: string,
  name: string,
  env: Record<string, string | undefined>,
  onLine?: (line: string) => void,
): Promise<ListeningProcess & { lines: string[] }> {
  const worker = await spawnListening(script, {
    env: { ...env, NODE_NAME: name, LOG_LEVEL: 'warn' },
    label: name,
  });
  const lines: string[] = [];
  let partial = '';
  worker.child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      if (!line || line.startsWith('LISTENING')) continue;
      lines.push(line);
      onLine?.(line);
    }
  });
  return { ...worker, lines };
}

/** Waits, polling every 50 ms, until `check` holds; past `ms` it fails naming `what`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
