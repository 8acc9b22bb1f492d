// Socket.IO shares the http server; with REDIS_URL two app processes reach each other's sockets
// through the Redis adapter, without it the in-memory adapter serves one process.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createRealtime, type Realtime } from '@/realtime/io';

const open: Array<{ http: HttpServer; rt: Realtime }> = [];
const sockets: Socket[] = [];

async function start(redisUrl?: string) {
  const http = createServer((_req, res) => res.end('ok'));
  const rt = createRealtime(http, { redisUrl });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  open.push({ http, rt });
  return { rt, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function client(url: string): Promise<Socket> {
  const s = connect(`${url}/messages`, { transports: ['websocket'], reconnection: false });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
  });
}

afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  for (const { rt, http } of open.splice(0)) {
    await rt.close();
    http.close();
  }
});

describe('realtime transport', () => {
  it('serves the /messages namespace with the in-memory adapter', async () => {
    const a = await start();
    expect(a.rt.adapter).toBe('memory');
    const s = await client(a.url);
    const got = new Promise((r) => s.once('hello', r));
    a.rt.io.of('/messages').emit('hello', { n: 1 });
    expect(await got).toEqual({ n: 1 });
  });

  // Registered only when Redis is configured (the CI service run); the embedded run has no Redis.
  if (process.env.REDIS_URL)
    it('delivers across two processes through Redis', async () => {
      const a = await start(process.env.REDIS_URL);
      const b = await start(process.env.REDIS_URL);
      expect(a.rt.adapter).toBe('redis');
      const onB = await client(b.url);
      // The Redis adapter subscribes asynchronously; wait until A sees B's socket through Redis.
      await expect
        .poll(async () => (await a.rt.io.of('/messages').fetchSockets()).length, { timeout: 5000 })
        .toBe(1);
      const got = new Promise((r) => onB.once('hello', r));
      a.rt.io.of('/messages').emit('hello', { from: 'a' });
      expect(await got).toEqual({ from: 'a' });
    });
});
