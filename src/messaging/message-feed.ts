// The change feed as the realtime layer and server-rendered pages consume it: one object bound to
// the context's database, so they can follow, replay, sequence and identify the feed without
// holding it.
import type { MessagingContext } from './context';
import { sequenceFeed, type TSequenceFeedOptions } from './feed-sequencer';
import {
  currentPosition,
  feedIdentity,
  readMessageLog,
  type TLogEntry,
  type TReadLogOptions,
} from './message-log';
import { feedPrunedThrough } from './prune-feed';

export interface MessageFeed {
  /** This database's feed id: processes that share it are peers, others are not. */
  identity(): Promise<string>;
  /** The last committed position (0 before the first change). */
  currentPosition(): Promise<number>;
  /** Changes in (after, upTo], in position order; with `userId`, only that user's threads. */
  read(opts: TReadLogOptions): Promise<TLogEntry[]>;
  /** The lowest position a client can still resume from; below it the feed has been pruned. */
  prunedThrough(): Promise<number>;
  /** One sequencer pass: positions committed, unpositioned changes and returns them, in order. */
  sequence(opts?: TSequenceFeedOptions): Promise<TLogEntry[]>;
}

/** The feed of the context's database. */
export function createMessageFeed({ db }: Pick<MessagingContext, 'db'>): MessageFeed {
  return {
    identity: () => feedIdentity(db),
    currentPosition: () => currentPosition(db),
    read: (opts) => readMessageLog(db, opts),
    prunedThrough: () => feedPrunedThrough(db),
    sequence: (opts) => sequenceFeed({ db }, opts),
  };
}
