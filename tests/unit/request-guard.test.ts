// The custom server's early guard: malformed paths and unsupported methods are JSON 4xx answers with
// the security headers, checked as functions and through a real http server (raw sockets, so that
// requests Node's own client would refuse to send, like a `FOO` method, reach it unchanged).
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_METHODS,
  answerClientError,
  answerMalformedRequest,
  checkRequestLine,
  earlyAnswer,
} from '@/server/request-guard';
import { MALFORMED_PATHS } from '../support/malformed-urls';

const MALFORMED = [...MALFORMED_PATHS, '*'];

describe('checkRequestLine', () => {
  it('lets well-formed requests of every allowed method through', () => {
    for (const method of ALLOWED_METHODS) {
      expect(checkRequestLine(method, '/api/health')).toBeUndefined();
    }
    for (const target of ['/', '/sign-in?next=%2Finstructor', '/api/x/%E2%82%AC', '/a%20b', 'http://h/ok']) {
      expect(checkRequestLine('GET', target), target).toBeUndefined();
    }
  });

  it('refuses a path whose percent-encoding is not UTF-8 with a 400', () => {
    for (const target of [...MALFORMED, 'http://h/%zz']) {
      expect(checkRequestLine('GET', target), target).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  it('leaves the query string to the route, which parses it leniently', () => {
    expect(checkRequestLine('GET', '/api/health?x=%zz')).toBeUndefined();
  });

  it('refuses methods outside the allow-list with a 405 and an Allow header', () => {
    for (const method of ['TRACE', 'CONNECT', 'PROPFIND', 'get', undefined]) {
      expect(checkRequestLine(method, '/api/health'), String(method)).toMatchObject({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        headers: { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' },
      });
    }
  });
});

describe('earlyAnswer', () => {
  it('is the JSON error shape with the API security headers, and HSTS only on https', () => {
    const rejection = checkRequestLine('GET', '/%');
    if (!rejection) throw new Error('expected a rejection');
    const plain = earlyAnswer(rejection, 'http://localhost:3000');
    expect(JSON.parse(plain.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(plain.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Content-Security-Policy': expect.stringContaining("frame-ancestors 'none'"),
    });
    expect(plain.headers['Strict-Transport-Security']).toBeUndefined();
    expect(earlyAnswer(rejection, 'https://class.example.edu').headers['Strict-Transport-Security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });
});

describe('on a real http server', () => {
  let server: Server;
  let port: number;
  const APP_URL = 'https://class.example.edu';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!answerMalformedRequest(req, res, APP_URL)) res.writeHead(200).end('passed');
    });
    server.on('clientError', (err, socket) => answerClientError(err, socket, APP_URL));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends one raw request and resolves with the whole answer once the server closes or it is complete. */
  function raw(requestLine: string): Promise<{ status: number; headers: Map<string, string>; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write(`${requestLine}\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = data.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = new Map(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
      });
    });
  }

  it('answers malformed paths with a JSON 400 and passes good ones on', async () => {
    for (const target of MALFORMED) {
      const res = await raw(`GET ${target} HTTP/1.1`);
      expect(res.status, target).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      expect(JSON.parse(res.body).error.code).toBe('BAD_REQUEST');
    }
    const ok = await raw('GET /api/x/%E2%82%AC HTTP/1.1');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('passed');
  });

  it('answers TRACE (parsed by Node) and FOO (refused by its parser) with a JSON 405', async () => {
    for (const method of ['TRACE', 'FOO']) {
      const res = await raw(`${method} /api/health HTTP/1.1`);
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(JSON.parse(res.body).error.code).toBe('METHOD_NOT_ALLOWED');
    }
  });

  it('answers a request line Node cannot parse with a JSON 400', async () => {
    const res = await raw('GET /api/health HTTP/9.9 extra');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('BAD_REQUEST');
  });
});
