// How long `npm start` takes from launch to the first 200, on an already built app with the embedded
// database. Runs a few cold starts on a fresh data folder and on an existing (seeded) one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../scripts/lib/build';

const PORT = Number(process.env.BENCH_PORT ?? 3190);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function once(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      SKIP_BUILD: '1',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (performance.now() - started > 120_000) throw new Error('server did not answer within 120 s');
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/sign-in`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (!ensureBuilt()) process.exit(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-bench-start-'));
try {
  const first = await once(dir);
  console.log(
    `first start (migrate + seed, empty folder): ${first.toFixed(0)} ms to the first 200 of GET /sign-in`,
  );
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await once(dir));
  warm.sort((a, b) => a - b);
  console.log(
    `later starts (seeded folder), ${RUNS} runs: median ${warm[Math.floor(RUNS / 2)]!.toFixed(0)} ms, min ${warm[0]!.toFixed(0)} ms, max ${warm[RUNS - 1]!.toFixed(0)} ms`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
