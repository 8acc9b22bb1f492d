// A background job of the server process: once shortly after start, then every `everyMs`. Runs
// never overlap within a process (a slow one delays the next), a failure is logged and retried at
// the next run, and the timer never keeps the process alive.
import { logger } from '@/platform/logger';

export interface PeriodicJob {
  /** One run now (what the timer runs); resolves when it is done. Never rejects. */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startPeriodicJob(opts: {
  name: string;
  run(): Promise<void>;
  /** Delay of the first run: long enough to stay out of the way of start-up. */
  firstRunMs: number;
  everyMs: number;
}): PeriodicJob {
  const log = logger().child({ component: opts.name });
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guarded = async () => {
    try {
      await opts.run();
    } catch (err) {
      log.warn({ err }, `${opts.name} failed; will retry`);
    }
  };
  const runOnce = () => (running ??= guarded().finally(() => (running = null)));
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().then(() => schedule(opts.everyMs)), ms);
    timer.unref();
  };
  schedule(opts.firstRunMs);
  return {
    runOnce,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
