// Entry points (server.ts, scripts) end with a clear one-paragraph message for configuration problems
// a person can fix, and a stack trace only for real bugs.
import { DatabaseLockedError } from '@/db/client';
import { EnvError } from '@/platform/env';

export function exitOnFatal(err: unknown): never {
  if (err instanceof EnvError || err instanceof DatabaseLockedError) console.error(`\n${err.message}\n`);
  else console.error(err);
  process.exit(1);
}
