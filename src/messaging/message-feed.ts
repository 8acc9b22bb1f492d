// The change feed as the realtime layer consumes it: one object bound to a database, so that the
// Socket.IO side can follow, replay and identify the feed without ever holding the database.
import type { Db } from '@/db/client';
import {
  currentPosition,
  feedIdentity,
  readMessageLog,
  type TLogEntry,
  type TReadLogOptions,
} from './message-log';

export interface MessageFeed {
  /** This database's feed id: processes that share it are peers, others are not. */
  identity(): Promise<string>;
  /** The last committed position (0 before the first change). */
  currentPosition(): Promise<number>;
  /** Changes in (after, upTo], in position order; with `userId`, only that user's threads. */
  read(opts: TReadLogOptions): Promise<TLogEntry[]>;
}

export function createMessageFeed(db: Db): MessageFeed {
  return {
    identity: () => feedIdentity(db),
    currentPosition: () => currentPosition(db),
    read: (opts) => readMessageLog(db, opts),
  };
}
