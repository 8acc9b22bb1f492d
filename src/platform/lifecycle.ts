// The process's lifecycle as requests see it: whether it is draining (SIGTERM received: readiness
// answers 503, sockets refuse new work so their clients resend elsewhere) and how much work is in
// flight (HTTP requests and socket events being handled), so a shutdown can wait for it to finish.
// One state per process, shared by server.ts and Next's bundles through globalThis.

interface Lifecycle {
  draining: boolean;
  inFlight: number;
  idleWaiters: Array<() => void>;
}

const key = Symbol.for('classroom-messaging.lifecycle');
type G = typeof globalThis & { [key]?: Lifecycle };

function state(): Lifecycle {
  const g = globalThis as G;
  g[key] ??= { draining: false, inFlight: 0, idleWaiters: [] };
  return g[key];
}

export function isDraining(): boolean {
  return state().draining;
}

export function startDraining(): void {
  state().draining = true;
}

/** Counts one unit of work from now until `done()` (safe to call twice). */
export function beginWork(): () => void {
  const s = state();
  s.inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    s.inFlight--;
    if (s.inFlight === 0) for (const wake of s.idleWaiters.splice(0)) wake();
  };
}

/** Runs `work` counted as in flight. */
export async function trackWork<T>(work: () => Promise<T>): Promise<T> {
  const done = beginWork();
  try {
    return await work();
  } finally {
    done();
  }
}

export function inFlightWork(): number {
  return state().inFlight;
}

/** Resolves true once nothing is in flight, or false after `timeoutMs`. */
export function whenIdle(timeoutMs: number): Promise<boolean> {
  const s = state();
  if (s.inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      s.idleWaiters = s.idleWaiters.filter((w) => w !== wake);
      resolve(false);
    }, timeoutMs);
    s.idleWaiters.push(wake);
  });
}
