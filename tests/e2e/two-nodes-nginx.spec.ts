// Two app processes behind a real nginx (Debian's, with deploy/nginx.conf), on the e2e run's
// PostgreSQL and Redis: an instructor pinned to one process and a student pinned to the other talk
// through the proxy; the instructor's process is stopped with SIGTERM mid-conversation. It drains and
// exits 0, the instructor's page reconnects through nginx to the other process and resumes from the
// durable feed, and both pages end with every message exactly once. Runs where the e2e server has
// PostgreSQL and Redis (playwright.config.ts); nginx missing is a failure, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  messageWith,
  openThread,
  outboxSettled,
  sendWithEnter,
  signedIn,
  startDirect,
  type Person,
} from './messaging-ui-helpers';
import { E2E_AUTH_SECRET } from './secrets';

const MAYA = 'maya.chen@example.edu';
const KENJI = 'kenji.tanaka@example.edu';
const ROOT = path.resolve(import.meta.dirname, '../..');

function findNginx(): string | undefined {
  return ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface AppProcess {
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** server.ts in production mode on the e2e database, as a second and third node. */
async function startNode(port: number, publicUrl: string): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: publicUrl,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      AUTH_SECRET: E2E_AUTH_SECRET,
      SEED_ON_START: 'false',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      SIGNIN_RATE_LIMIT_PER_MINUTE: '1000',
      SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`node on ${port} exited with ${child.exitCode}`);
        return fetch(`http://127.0.0.1:${port}/api/ready`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 90_000, intervals: [500] },
    )
    .toBe(200);
  return { port, child, exited };
}

/** nginx with deploy/nginx.conf, its upstreams and port rewritten, in a scratch prefix of its own. */
async function startNginx(bin: string, port: number, upstreams: number[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-nginx-'));
  const site = fs
    .readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8')
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/server 127\.0\.0\.1:3001/, `server 127.0.0.1:${upstreams[0]}`)
    .replace(/server 127\.0\.0\.1:3002/, `server 127.0.0.1:${upstreams[1]}`)
    // The test reads which process answered (not for production: it names internal addresses).
    .replace(/server_name _;/, 'server_name _;\n    add_header X-Upstream $upstream_addr always;');
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const child = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 15_000,
      },
    )
    .toBe(200);
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A cm_node cookie value nginx's hash sends to each upstream port. */
async function pinsFor(base: string, ports: number[]): Promise<Map<number, string>> {
  const pins = new Map<number, string>();
  for (let i = 0; i < 64 && pins.size < ports.length; i++) {
    const value = `pin-${i}`;
    const res = await fetch(`${base}/api/health`, { headers: { cookie: `cm_node=${value}` } });
    const port = Number(res.headers.get('x-upstream')?.split(':').pop());
    if (ports.includes(port) && !pins.has(port)) pins.set(port, value);
  }
  return pins;
}

async function texts(api: APIRequestContext, threadId: string): Promise<string[]> {
  const res = await api.get(`/api/user/messages/threads/${threadId}/messages?limit=100`);
  expect(res.status(), await res.text()).toBe(200);
  const { messages } = (await res.json()).data as { messages: Array<{ content: string }> };
  return messages.map((m) => m.content);
}

test('two users through nginx on two processes; one process stopped with SIGTERM mid-conversation: nothing lost, nothing repeated', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const nginx = findNginx();
  expect(nginx, 'nginx is required for this spec: apt-get install -y nginx').toBeTruthy();
  expect(process.env.E2E_DATABASE_URL && process.env.REDIS_URL, 'PostgreSQL and Redis').toBeTruthy();

  const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${proxyPort}`;
  const cleanup: Array<() => Promise<unknown>> = [];
  const people: Person[] = [];
  try {
    const [a, b] = await Promise.all([startNode(portA, base), startNode(portB, base)]);
    cleanup.push(
      async () => void [a, b].forEach((n) => n.child.exitCode === null && n.child.kill('SIGKILL')),
    );
    const proxy = await startNginx(nginx!, proxyPort, [portA, portB]);
    cleanup.push(proxy.stop);

    const pins = await pinsFor(base, [portA, portB]);
    expect(pins.size, 'a routing cookie for each process').toBe(2);
    const pin = (port: number) => [{ name: 'cm_node', value: pins.get(port)!, url: base }];
    // Signed in first (a cookie-carrying sign-in must send an Origin, which the API client does not),
    // then pinned: from here on each one's requests and socket go to their own process.
    const maya = await signedIn(browser, MAYA, { baseURL: base });
    const kenji = await signedIn(browser, KENJI, { baseURL: base });
    people.push(maya, kenji);
    await maya.context.addCookies(pin(portA));
    await kenji.context.addCookies(pin(portB));
    // Each is served by its own process.
    for (const [person, port] of [
      [maya, portA],
      [kenji, portB],
    ] as const) {
      const res = await person.api.get('/api/health');
      expect(res.headers()['x-upstream']).toBe(`127.0.0.1:${port}`);
    }

    const run = Date.now().toString(36);
    const opening = `Kenji, a question about your lab (${run})`;
    const threadId = await startDirect(maya.api, 'Kenji Tanaka', opening);
    await openThread(maya.page, 'instructor', threadId, 'Kenji Tanaka');
    await openThread(kenji.page, 'student', threadId, 'Maya Chen');
    await expect(messageWith(kenji.page, opening)).toHaveCount(1);

    const sent: string[] = [opening];
    const say = async (person: Person, title: string, text: string) => {
      await sendWithEnter(person.page, title, text);
      sent.push(text);
    };
    await say(kenji, 'Maya Chen', `Sure, ask away (${run})`);
    await expect(messageWith(maya.page, `Sure, ask away (${run})`)).toHaveCount(1);

    // Mid-conversation: Maya's process gets SIGTERM while both keep writing.
    const stopped = a.exited;
    a.child.kill('SIGTERM');
    for (let i = 1; i <= 4; i++) {
      await say(maya, 'Kenji Tanaka', `Maya #${i} (${run})`);
      await say(kenji, 'Maya Chen', `Kenji #${i} (${run})`);
    }
    expect(await stopped, 'the stopped process drained and exited 0').toBe(0);
    for (let i = 5; i <= 6; i++) {
      await say(maya, 'Kenji Tanaka', `Maya #${i} (${run})`);
      await say(kenji, 'Maya Chen', `Kenji #${i} (${run})`);
    }

    // Maya is now served by the other process.
    // (nginx may still try the stopped one first, within fail_timeout: the last address answered.)
    const upstreams = (await maya.api.get('/api/health')).headers()['x-upstream']?.split(', ');
    expect(upstreams?.at(-1)).toBe(`127.0.0.1:${portB}`);
    await Promise.all([outboxSettled(maya.page), outboxSettled(kenji.page)]);
    for (const page of [maya.page, kenji.page])
      for (const text of sent) await expect(messageWith(page, text), text).toHaveCount(1);
    // And the database holds each exactly once.
    const stored = await texts(kenji.api, threadId);
    for (const text of sent)
      expect(
        stored.filter((t) => t === text),
        text,
      ).toHaveLength(1);
    expect(stored).toHaveLength(sent.length);
  } finally {
    for (const p of people) await p.context.close();
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
});
