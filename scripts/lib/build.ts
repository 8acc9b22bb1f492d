// Builds the production bundle when it is missing or was built from other sources.
//
// "Other sources" is decided by content, not by modification times: a digest of every input file
// (path and bytes) is written next to the build, and a build is reused while the digest matches.
// Times alone rebuilt for nothing whenever a checkout, a copy or a tool touched a file without
// changing it (CI's second run rebuilt an identical tree), and could miss a change made within the
// same second as the build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const buildId = path.join(root, '.next', 'BUILD_ID');
const digestFile = path.join(root, '.next', 'cm-inputs.sha256');
const inputs = [
  'src',
  'public',
  'next.config.ts',
  'postcss.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];

function addToDigest(hash: ReturnType<typeof createHash>, p: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(p).sort()) addToDigest(hash, path.join(p, entry));
    return;
  }
  hash.update(path.relative(root, p)).update('\0').update(fs.readFileSync(p)).update('\0');
}

/** A digest of everything the bundle is built from. */
export function inputsDigest(): string {
  const hash = createHash('sha256');
  for (const input of inputs) addToDigest(hash, path.join(root, input));
  return hash.digest('hex');
}

export function needsBuild(): boolean {
  if (!fs.existsSync(buildId)) return true;
  try {
    return fs.readFileSync(digestFile, 'utf8').trim() !== inputsDigest();
  } catch {
    return true; // built by something else (a plain `next build`): its inputs are unknown
  }
}

/** Returns false when the build failed (its output has already been shown). */
export function ensureBuilt(): boolean {
  if (process.env.SKIP_BUILD === '1' || !needsBuild()) return true;
  console.log('Building the production bundle (first run, or sources changed)…');
  return buildBundle();
}

/** `next build`, recording what it was built from. False when it failed. */
export function buildBundle(): boolean {
  const digest = inputsDigest();
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) return false;
  // The digest taken before the build: a file edited while it ran makes the next run build again.
  fs.writeFileSync(digestFile, digest + '\n');
  return true;
}
