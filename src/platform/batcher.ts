// Group commit for any per-item database round trip: calls made while the process is busy share one
// statement. An item waits at most until the end of the current turn of the event loop when fewer
// than `maxInFlight` batches are running (so an idle server adds no delay), or until one of them
// finishes when all are busy. The busier the process, the more items each batch carries, and the
// fewer round trips, commits and parses each item costs: a send's share of a statement falls as the
// load rises instead of its queueing time growing.
import { metrics } from './metrics';

export interface BatcherOptions<I, O> {
  /** The label of its batch sizes in /api/metrics (cm_db_batch_size). */
  name: string;
  /** Runs one batch; returns one result per item, in the items' order. Throwing fails every item. */
  run(items: I[]): Promise<O[]>;
  /** Batches running at once (each holds one connection while it runs). */
  maxInFlight?: number;
  /** Items per batch at most. */
  maxBatch?: number;
  /**
   * A key that no two items of one batch may share (items that do wait, in order, for a later
   * batch): two sends to one thread in one statement would need two numbers from one row.
   */
  exclusiveKey?(item: I): string;
}

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export function createBatcher<I, O>(opts: BatcherOptions<I, O>): Batcher<I, O> {
  const maxInFlight = opts.maxInFlight ?? 2;
  const maxBatch = opts.maxBatch ?? 100;
  let queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function take(): Waiting<I, O>[] {
    if (!opts.exclusiveKey) return queue.splice(0, maxBatch);
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    for (const waiting of queue) {
      const key = opts.exclusiveKey(waiting.item);
      if (batch.length >= maxBatch || keys.has(key)) rest.push(waiting);
      else {
        keys.add(key);
        batch.push(waiting);
      }
    }
    queue = rest;
    return batch;
  }

  function flush() {
    scheduled = false;
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = take();
      inFlight += 1;
      void execute(batch);
    }
  }

  async function execute(batch: Waiting<I, O>[]) {
    try {
      metrics().batchSize.observe({ batch: opts.name }, batch.length);
      const results = await opts.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      inFlight -= 1;
      if (queue.length > 0) flush();
    }
  }

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled && inFlight < maxInFlight) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
