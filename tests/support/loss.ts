// Delivery accounting for the realtime cluster tests: what each client received, both as the typed
// client hands it to the UI and as it came off the wire, compared with what the database stored.
import type { MessagingClient } from '@/realtime/client';
import type { DurableEventName, MessageEventPayload, SyncPayload } from '@/realtime/contract';

export interface Recording {
  /** new-message as the typed client's listeners get it (after its own repeat check). */
  messages: MessageEventPayload[];
  /** new-message as it came off the socket: every wire event, across every connection. */
  wire: MessageEventPayload[];
  updated: MessageEventPayload[];
  deleted: MessageEventPayload[];
  syncs: SyncPayload[];
  /** Every durable event the typed client delivered, in arrival order. */
  durable: Array<{ event: DurableEventName; position: number; messageId: string }>;
}

/** Starts recording a client's durable events; call it right after creating the client. */
export function record(client: MessagingClient): Recording {
  const r: Recording = { messages: [], wire: [], updated: [], deleted: [], syncs: [], durable: [] };
  const log = (event: DurableEventName, p: MessageEventPayload) =>
    r.durable.push({ event, position: p.position, messageId: p.message.id });
  client.on('new-message', (p) => void (r.messages.push(p), log('new-message', p)));
  client.on('message-updated', (p) => void (r.updated.push(p), log('message-updated', p)));
  client.on('message-deleted', (p) => void (r.deleted.push(p), log('message-deleted', p)));
  client.on('sync', (p) => void r.syncs.push(p));
  client.socket.on('new-message', (p) => void r.wire.push(p));
  return r;
}

/** One participant's receiving client and the threads it should hear from. */
export interface Audience {
  label: string;
  threadIds: readonly string[];
  recording: Recording;
}

export interface StoredMessage {
  id: string;
  threadId: string;
  seq: number;
}

export interface LossReport {
  /** Σ over threads of stored messages × participants with a receiving client. */
  expected: number;
  /** Distinct (participant, message) pairs the typed clients delivered. */
  delivered: number;
  /** Stored messages a participant's client never delivered. */
  lost: number;
  /** Deliveries of a message id beyond the first, at the typed client. */
  duplicated: number;
  /** The same, counting every wire event. */
  rawDuplicated: number;
  /** Deliveries of messages from threads the participant is not in (or that were never stored). */
  foreign: number;
  /** Typed deliveries whose thread seq did not increase over the previous one of that thread. */
  outOfOrder: number;
  /** One line per participant and thread with something wrong. */
  details: string[];
}

function repeats(ids: Iterable<string>): number {
  const seen = new Set<string>();
  let n = 0;
  for (const id of ids) {
    if (seen.has(id)) n++;
    else seen.add(id);
  }
  return n;
}

export function audit(audiences: readonly Audience[], stored: readonly StoredMessage[]): LossReport {
  const byThread = new Map<string, StoredMessage[]>();
  for (const m of stored) {
    let list = byThread.get(m.threadId);
    if (!list) byThread.set(m.threadId, (list = []));
    list.push(m);
  }
  const report: LossReport = {
    expected: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    rawDuplicated: 0,
    foreign: 0,
    outOfOrder: 0,
    details: [],
  };
  for (const a of audiences) {
    const got = new Set(a.recording.messages.map((e) => e.message.id));
    const mine = new Set<string>();
    for (const threadId of a.threadIds) {
      const messages = byThread.get(threadId) ?? [];
      report.expected += messages.length;
      let lost = 0;
      for (const m of messages) {
        mine.add(m.id);
        if (got.has(m.id)) report.delivered++;
        else lost++;
      }
      const inThread = a.recording.messages.filter((e) => e.threadId === threadId);
      const dup = repeats(inThread.map((e) => e.message.id));
      const rawDup = repeats(
        a.recording.wire.filter((e) => e.threadId === threadId).map((e) => e.message.id),
      );
      let disorder = 0;
      for (let i = 1; i < inThread.length; i++) {
        if (inThread[i]!.message.seq <= inThread[i - 1]!.message.seq) disorder++;
      }
      report.lost += lost;
      report.outOfOrder += disorder;
      if (lost || dup || rawDup || disorder) {
        report.details.push(
          `${a.label} thread ${threadId.slice(0, 8)}: stored=${messages.length} lost=${lost} ` +
            `duplicated=${dup} raw-duplicated=${rawDup} out-of-order=${disorder}`,
        );
      }
    }
    report.duplicated += repeats(a.recording.messages.map((e) => e.message.id));
    report.rawDuplicated += repeats(a.recording.wire.map((e) => e.message.id));
    const foreign = [...got].filter((id) => !mine.has(id)).length;
    if (foreign) report.details.push(`${a.label}: ${foreign} messages from outside its threads`);
    report.foreign += foreign;
  }
  return report;
}

/** Messages of `threadIds` the recording has not delivered yet (for polling until done). */
export function missing(recording: Recording, expectedIds: Iterable<string>): number {
  const got = new Set(recording.messages.map((e) => e.message.id));
  let n = 0;
  for (const id of expectedIds) if (!got.has(id)) n++;
  return n;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects with `what` if `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} (after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
