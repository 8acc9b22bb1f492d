// npm run bench:files — how attachments move, against `cp` of the same file on the same disk.
//
// A child process serves the real upload and download route handlers (src/app/api/…) over a
// loopback HTTP socket, through the same Node-stream path server.ts serves them by
// (src/app/api/_files/node-transfer.ts), on an in-memory PGlite (a scratch PostgreSQL database when
// DATABASE_URL is set) with a local store in a scratch folder on the disk
// the `cp` runs on, signed in as a real user. The parent is the client. It prints:
//   - upload of a 25 MB file ÷ cp (throughput ratio; target ≥ 0.3×),
//   - the server's RSS growth during 10 concurrent 25 MB uploads (target < 60 MB: it streams),
//   - download of the 25 MB file ÷ cp (target ≥ 0.3×),
//   - the same upload and download through a bare Node HTTP handler (no app code): the floor,
//   - the re-encode and thumbnail of a 12 MP JPEG, in ms.
// The client is curl where the machine has it (BENCH_CLIENT=node for Node's own http client).
// Options: BENCH_RUNS (default 3; the median is reported), BENCH_DIR (scratch folder, default the
// system's temp folder).
// BENCH_PROF=<folder> writes the serving process's CPU profile (from after set-up) to <folder>/serve.cpuprofile.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { serveFileTransfer } from '@/app/api/_files/node-transfer';
import { openDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { reencodeImage } from '@/files/images';
import { createLocalStore } from '@/files/local-store';
import { createUser } from '@/classroom/create-account';
import { installTestServices } from '../tests/support/api';
import { createScratchPostgres } from '../tests/support/db';

const MB = 1024 * 1024;
const FILE_BYTES = 25 * MB;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENT = 10;
const scratch =
  process.env.BENCH_SCRATCH ??
  fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'cm-bench-files-'));

// ---- the server (child process) -----------------------------------------------------------------

async function serve() {
  const database = process.env.BENCH_DB_URL
    ? await openDatabase({ kind: 'postgres', url: process.env.BENCH_DB_URL })
    : await openDatabase({ kind: 'pglite-memory' });
  await migrateDatabase(database);
  const api = installTestServices(database.db, {
    store: createLocalStore(path.join(scratch, 'store')),
    fileLimits: { maxBytes: FILE_BYTES, quotaBytes: 10 * 1024 * MB },
  });
  const user = await createUser(database.db, { role: 'INSTRUCTOR' });
  const cookie = await api.cookieFor(user);

  if (process.env.BENCH_PROF) {
    const inspector = await import('node:inspector/promises');
    const session = new inspector.Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    process.on('SIGTERM', () => {
      void session.post('Profiler.stop').then(({ profile }) => {
        fs.writeFileSync(path.join(process.env.BENCH_PROF!, 'serve.cpuprofile'), JSON.stringify(profile));
        process.exit(0);
      });
    });
  }
  let peak = process.memoryUsage.rss();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10).unref();

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/rss') {
        global.gc?.();
        const now = process.memoryUsage.rss();
        if (url.searchParams.has('reset')) peak = now;
        res.end(JSON.stringify({ rss: now, peak }));
        return;
      }
      // The floor: plain Node HTTP moving the same bytes to and from the same disk, no app code.
      if (url.pathname === '/bare/upload') {
        await pipeline(req, fs.createWriteStream(path.join(scratch, `bare-${randomUUID()}`)));
        res.end('{}');
        return;
      }
      if (url.pathname === '/bare/download') {
        const file = path.join(scratch, 'sample.pdf');
        res.setHeader('Content-Length', fs.statSync(file).size);
        await pipeline(fs.createReadStream(file, { highWaterMark: MB }), res);
        return;
      }
      // The app's own path for these routes, as server.ts serves them (src/app/api/_files/node-transfer.ts).
      req.headers.cookie = cookie;
      if (!serveFileTransfer(req, res, 'http://localhost:3000')) {
        res.statusCode = 404;
        res.end();
      }
    })().catch((err: unknown) => {
      console.error(err);
      res.statusCode = 500;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`PORT ${port}\n`);
  });
}

// ---- the client (parent) ------------------------------------------------------------------------

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  return fn().then((value) => ({ ms: performance.now() - started, value }));
}

/** A 25 MB PDF: a real header, then incompressible bytes. */
function writeSample(file: string) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.from('%PDF-1.4\n'));
  let left = FILE_BYTES - 9 - 6;
  const chunk = Buffer.alloc(MB);
  while (left > 0) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
    fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length));
    left -= Math.min(left, chunk.length);
  }
  fs.writeSync(fd, Buffer.from('%%EOF\n'));
  fs.closeSync(fd);
}

const BOUNDARY = 'cm-bench-boundary';

/**
 * The HTTP client: curl where the machine has it (BENCH_CLIENT=node forces Node's own). A client
 * in Node tops out near 150 MB/s here, whatever the server: with it, even nginx writing the body
 * straight to a file measured 0.12–0.16× of cp, while curl feeding that nginx measured 0.4–0.6×.
 * curl is what shows the server's own speed, as a browser (also native code) would.
 */
const CLIENT =
  process.env.BENCH_CLIENT === 'node' || spawnSync('curl', ['--version']).status !== 0 ? 'node' : 'curl';

/**
 * A transfer's result and its time as the client measured it: for curl its own `time_total` (from
 * the connect to the last byte of the answer), so curl's process start-up (about 9 ms here, which a
 * browser never pays) is not counted; for Node's client, the wall time of the request.
 */
interface Timed<T> {
  value: T;
  ms: number;
}

/** Runs curl, answering what it wrote on stdout; rejects on a non-zero exit. */
function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl: ${code} ${err}`))));
  });
}

/** Uploads the file over HTTP, streamed from disk; answers the attachment id. */
function upload(
  port: number,
  file: string,
  route = '/api/instructor/messages/attachments',
): Promise<Timed<string>> {
  if (CLIENT === 'curl') {
    return curl([
      '-X',
      'POST',
      '-F',
      `file=@${file};type=application/pdf;filename=sample.pdf`,
      '-w',
      '\n%{http_code} %{time_total}',
      `http://127.0.0.1:${port}${route}`,
    ]).then((out) => {
      const [status, seconds] = out.slice(out.lastIndexOf('\n') + 1).split(' ');
      const ms = Number(seconds) * 1000;
      if (route.startsWith('/bare/')) return { value: '', ms };
      const body = JSON.parse(out.slice(0, out.lastIndexOf('\n'))) as { data?: { id: string } };
      if (status !== '201' || !body.data) throw new Error(`upload: ${status} ${JSON.stringify(body)}`);
      return { value: body.data.id, ms };
    });
  }
  const started = performance.now();
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="sample.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: route,
        headers: {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': head.length + fs.statSync(file).size + tail.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { data?: { id: string } };
          const ms = performance.now() - started;
          if (route.startsWith('/bare/')) resolve({ value: '', ms });
          else if (res.statusCode !== 201 || !body.data)
            reject(new Error(`upload: ${res.statusCode} ${JSON.stringify(body)}`));
          else resolve({ value: body.data.id, ms });
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    const source = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    source.on('end', () => req.end(tail));
    source.pipe(req, { end: false });
  });
}

function downloadTo(
  port: number,
  id: string,
  out: string,
  route = `/api/attachments/${id}`,
): Promise<Timed<number>> {
  if (CLIENT === 'curl') {
    return curl([
      '-o',
      out,
      '-w',
      '%{http_code} %{size_download} %{time_total}',
      `http://127.0.0.1:${port}${route}`,
    ]).then((written) => {
      const [status, bytes, seconds] = written.split(' ');
      if (status !== '200') throw new Error(`download: ${status}`);
      return { value: Number(bytes), ms: Number(seconds) * 1000 };
    });
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`download: ${res.statusCode}`));
        // The client writes in 4 MB steps, so its own disk writes do not hold back either server.
        const sink = fs.createWriteStream(out, { highWaterMark: 4 * MB });
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        pipeline(res, sink).then(() => resolve({ value: bytes, ms: performance.now() - started }), reject);
      })
      .on('error', reject);
  });
}

async function rss(port: number, reset = false): Promise<{ rss: number; peak: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/rss${reset ? '?reset=1' : ''}`);
  return (await res.json()) as { rss: number; peak: number };
}

async function main() {
  const sample = path.join(scratch, 'sample.pdf');
  writeSample(sample);

  // With DATABASE_URL the server's database is a scratch PostgreSQL database (dropped afterwards),
  // as the deployed app's would be; without it, PGlite in the server's own memory, as `npm start`.
  const postgres = process.env.DATABASE_URL ? await createScratchPostgres('cm_bench_files') : undefined;
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--serve'], {
    env: {
      ...process.env,
      BENCH_SCRATCH: scratch,
      LOG_LEVEL: 'warn',
      ...(postgres ? { BENCH_DB_URL: postgres.url } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

  try {
    const cpRuns: number[] = [];
    const upRuns: number[] = [];
    const downRuns: number[] = [];
    const bareUp: number[] = [];
    const bareDown: number[] = [];
    let id = '';
    // cp's own time, like the transfers': its run less the start-up of a process that does nothing
    // (`true`, timed the same way in the same run), so neither side counts a process start.
    const startRuns: number[] = [];
    for (let i = 0; i < 2 * RUNS + 1; i++) {
      const started = performance.now();
      spawnSync('true');
      startRuns.push(performance.now() - started);
    }
    const processStart = median(startRuns);
    for (let i = 0; i < RUNS; i++) {
      const copy = path.join(scratch, `copy-${i}.pdf`);
      const started = performance.now();
      const r = spawnSync('cp', [sample, copy]);
      if (r.status !== 0) throw new Error('cp failed');
      cpRuns.push(performance.now() - started - processStart);
      fs.rmSync(copy);
      // App and bare take turns going first: whichever transfer follows the `cp` pays for the kernel
      // writing the copy's 25 MB back (seen here: that one ran at about half speed).
      const out = path.join(scratch, `down-${i}.pdf`);
      const appRound = async () => {
        const up = await upload(port, sample);
        upRuns.push(up.ms);
        id = up.value;
        const down = await downloadTo(port, id, out);
        if (down.value !== FILE_BYTES) throw new Error(`downloaded ${down.value} bytes`);
        downRuns.push(down.ms);
        fs.rmSync(out);
      };
      const bareRound = async () => {
        bareUp.push((await upload(port, sample, '/bare/upload')).ms);
        bareDown.push((await downloadTo(port, '', out, '/bare/download')).ms);
        fs.rmSync(out);
      };
      for (const round of i % 2 === 0 ? [appRound, bareRound] : [bareRound, appRound]) await round();
    }
    const cp = median(cpRuns);
    const up = median(upRuns);
    const down = median(downRuns);

    await rss(port, true);
    const before = await rss(port, true);
    const concurrent = await time(() =>
      Promise.all(Array.from({ length: CONCURRENT }, () => upload(port, sample))),
    );
    const after = await rss(port);
    const growth = after.peak - before.rss;

    // 12 MP: 4000 × 3000, with noise so the encoder has real work.
    const photo = path.join(scratch, 'photo.jpg');
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 90 })
      .toFile(photo);
    const thumbRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(scratch, `re-${i}.jpg`);
      const thumb = path.join(scratch, `th-${i}.webp`);
      thumbRuns.push((await time(() => reencodeImage(photo, 'jpeg', { out, thumbnail: thumb }))).ms);
    }
    const thumbOnly: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      thumbOnly.push(
        (
          await time(() =>
            sharp(photo)
              .resize({ width: 320 })
              .webp({ quality: 75 })
              .toFile(path.join(scratch, `t-${i}.webp`)),
          )
        ).ms,
      );
    }

    const mbps = (ms: number) => `${(FILE_BYTES / MB / (ms / 1000)).toFixed(0)} MB/s`;
    const rows: Array<[string, string, string, string]> = [
      [
        'cp of the 25 MB file (same disk; process start-up excluded)',
        `${cp.toFixed(0)} ms (${mbps(cp)}; start-up ${processStart.toFixed(1)} ms)`,
        '–',
        '–',
      ],
      [
        'Upload of 25 MB over loopback ÷ cp',
        `${up.toFixed(0)} ms (${mbps(up)})`,
        `${(cp / up).toFixed(2)}×`,
        `≥ 0.3× ${cp / up >= 0.3 ? '✔' : '✘'}`,
      ],
      [
        'Reference: bare Node HTTP upload (no app) ÷ cp',
        `${median(bareUp).toFixed(0)} ms (${mbps(median(bareUp))})`,
        `${(cp / median(bareUp)).toFixed(2)}×`,
        `app ÷ bare ${(median(bareUp) / up).toFixed(2)}×`,
      ],
      [
        `RSS growth, ${CONCURRENT} concurrent 25 MB uploads`,
        `${(growth / MB).toFixed(1)} MB (${concurrent.ms.toFixed(0)} ms for all)`,
        '–',
        `< 60 MB ${growth < 60 * MB ? '✔' : '✘'}`,
      ],
      [
        'Download of 25 MB ÷ cp',
        `${down.toFixed(0)} ms (${mbps(down)})`,
        `${(cp / down).toFixed(2)}×`,
        `≥ 0.3× ${cp / down >= 0.3 ? '✔' : '✘'}`,
      ],
      [
        'Reference: bare Node HTTP download (no app) ÷ cp',
        `${median(bareDown).toFixed(0)} ms (${mbps(median(bareDown))})`,
        `${(cp / median(bareDown)).toFixed(2)}×`,
        `app ÷ bare ${(median(bareDown) / down).toFixed(2)}×`,
      ],
      [
        '12 MP JPEG: re-encode (EXIF out) + 320 px thumbnail',
        `${median(thumbRuns).toFixed(0)} ms`,
        '–',
        'report',
      ],
      ['12 MP JPEG: thumbnail alone', `${median(thumbOnly).toFixed(0)} ms`, '–', 'report'],
    ];
    const where = postgres ? `PostgreSQL (${postgres.name})` : 'PGlite in the server process';
    console.log(
      `\nbench:files — median of ${RUNS} runs, client ${CLIENT}, database ${where}, scratch on ${scratch}\n`,
    );
    console.log('| Measure | Time | Ratio | Target |');
    console.log('| --- | ---: | ---: | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await postgres?.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
