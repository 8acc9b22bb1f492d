// A secret kept in the data folder, made once: read it if it is there, otherwise write a new one
// exclusively. Two processes starting together both end up with the winner's value.
import fs from 'node:fs';
import path from 'node:path';

export function readOrCreateDataFile(dataDir: string, name: string, create: () => string): string {
  const file = path.resolve(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}
