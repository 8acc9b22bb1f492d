// Runs the change feed's sequencer passes for this process: one right after each local commit
// (coalesced: at most one running and one more asked for), and one on a timer, which numbers the
// changes of a process that died before its pass, or of a writer without realtime (a script). A
// pass's entries go to `publish` (this process's dispatcher and, with Redis, the other processes).
import type { MessageFeed } from '@/messaging/message-feed';
import type { TLogEntry } from '@/messaging/message-log';
import { logger } from '@/platform/logger';
import { observeSendStage } from '@/platform/metrics';

export interface SequencerOptions {
  feed: MessageFeed;
  /** Called with each pass's entries, in position order, once they are committed. */
  publish(entries: TLogEntry[]): void;
  /** How often a pass runs with nobody asking (cheap when nothing waits: one index probe). */
  intervalMs?: number;
  batchSize?: number;
}

export interface Sequencer {
  /** A change was committed: a pass soon; a pass already running is followed by one more. */
  request(): void;
  /** Stops the timer and requests; resolves once a pass in flight has published what it numbered. */
  stop(): Promise<void>;
}

export function createSequencer(opts: SequencerOptions): Sequencer {
  const intervalMs = opts.intervalMs ?? 250;
  const batchSize = opts.batchSize ?? 500;
  const log = logger().child({ component: 'sequencer' });
  let running = false;
  let again = false;
  let stopped = false;
  let current: Promise<void> | undefined;

  /** `known`: a change is known to wait, so the pass skips its lock-free look first. */
  async function run(known: boolean) {
    running = true;
    let probe = !known;
    try {
      do {
        // A commit announced from here on may have missed this pass's snapshot: it asks again.
        again = false;
        const entries = await opts.feed.sequence({ limit: batchSize, probe });
        probe = false;
        if (entries.length > 0) {
          observeSinceWrite('sequence', entries);
          opts.publish(entries);
        }
        // A full batch: more may be waiting.
        if (entries.length === batchSize) again = true;
      } while (again && !stopped);
    } catch (err) {
      // The timer's next pass retries; spinning on a failing database would not help.
      log.warn({ err }, 'sequencing the change feed failed; will retry');
    } finally {
      running = false;
    }
  }

  function request() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    current = run(true);
  }

  // The periodic pass looks first: usually nothing waits, and the look takes no lock.
  const timer = setInterval(() => {
    if (!stopped && !running) current = run(false);
  }, intervalMs);
  timer.unref();

  return {
    request,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // A pass already reading the feed still publishes what it numbered (over Redis too), so
      // whoever closes the Redis clients must wait for it: a publish on a closed client crashed
      // the process on SIGTERM (an unhandled "Connection is closed" inside the adapter).
      await current;
    },
  };
}

/**
 * Times a stage from the write of each new message (its created_at, taken in the sending
 * transaction) to now: how long after the write it was numbered, or delivered here.
 */
export function observeSinceWrite(stage: 'sequence' | 'dispatch', entries: readonly TLogEntry[]): void {
  const now = Date.now();
  for (const entry of entries) {
    if (entry.kind === 'created') observeSendStage(stage, (now - Date.parse(entry.message.createdAt)) / 1000);
  }
}
