// `npm test`: the whole suite. Vitest (unit + integration, on PGlite, and on Postgres/Redis when
// DATABASE_URL/REDIS_URL are set), then Playwright in Chromium against the production build.
// Without a Chromium the browser tests print one SKIPPED line, or fail when REQUIRE_E2E=1.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ensureBuilt } from './lib/build';

const root = process.cwd();
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const tallies: Record<string, Tally> = {};
/** Each failed vitest test, for the summary. */
const failures: string[] = [];
let exitCode = 0;

const firstLine = (text: string | undefined) => (text ?? '').trim().split('\n')[0]?.slice(0, 300) ?? '';

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

// ---- vitest -------------------------------------------------------------------------------------
{
  const out = path.join(results, 'vitest.json');
  fs.rmSync(out, { force: true });
  const args = [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
    ...process.argv.slice(2),
  ];
  const run = spawnSync(bin('vitest'), args, { stdio: 'inherit' });
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: Array<{
      name: string;
      message?: string;
      assertionResults?: Array<{ title: string; status: string; failureMessages?: string[] }>;
    }>;
  }>(out);
  // Named again in the summary: a CI log is often read from its tail only, far below vitest's own.
  for (const file of report?.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed)
      failures.push(`vitest ${where} > ${t.title}: ${firstLine(t.failureMessages?.[0])}`);
    if (!failed.length && file.message) failures.push(`vitest ${where}: ${firstLine(file.message)}`);
  }
  tallies.vitest = report
    ? {
        passed: report.numPassedTests,
        failed: report.numFailedTests,
        skipped: report.numPendingTests + report.numTodoTests,
      }
    : { passed: 0, failed: 1, skipped: 0 };
  if (run.status !== 0) exitCode = 1;
}

// ---- playwright ---------------------------------------------------------------------------------
function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

async function runE2E(chromium: string): Promise<void> {
  if (!ensureBuilt()) {
    tallies.playwright = { passed: 0, failed: 1, skipped: 0 };
    exitCode = 1;
    return;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHROMIUM_PATH: chromium,
    E2E_PORT: process.env.E2E_PORT ?? '3100',
  };
  // A fresh database for the e2e server: a scratch Postgres database, or a scratch PGlite folder.
  let cleanup = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `cm_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    env.E2E_DATABASE_URL = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = path.join(root, '.test-data', `e2e-${randomBytes(6).toString('hex')}`);
    env.E2E_DATA_DIR = dir;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = path.join(results, 'playwright.json');
  fs.rmSync(out, { force: true });
  try {
    const run = spawnSync(bin('playwright'), ['test'], {
      stdio: 'inherit',
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    });
    const report = readJson<{
      stats: { expected: number; unexpected: number; skipped: number; flaky: number };
    }>(out);
    tallies.playwright = report
      ? {
          passed: report.stats.expected + report.stats.flaky,
          failed: report.stats.unexpected,
          skipped: report.stats.skipped,
        }
      : { passed: 0, failed: 1, skipped: 0 };
    if (run.status !== 0) exitCode = 1;
  } finally {
    await cleanup();
  }
}

const chromium = findChromium();
if (chromium) {
  await runE2E(chromium);
} else if (process.env.REQUIRE_E2E === '1') {
  console.error(
    'FAILED e2e: REQUIRE_E2E=1 but no Chromium was found (apt-get install -y chromium, or set CHROMIUM_PATH).',
  );
  tallies.playwright = { passed: 0, failed: 1, skipped: 0 };
  exitCode = 1;
} else {
  console.log(
    'SKIPPED e2e: no Chromium found. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH) to run the browser tests.',
  );
}

// ---- summary ------------------------------------------------------------------------------------
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
console.log('\nTest summary');
for (const [name, t] of Object.entries(tallies)) {
  console.log(`${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
}
for (const failure of failures) console.log(`FAILED ${failure}`);
if (total.failed > 0) exitCode = 1;
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(exitCode);
