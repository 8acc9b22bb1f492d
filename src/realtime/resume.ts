// The resume of a new connection: everything after the position the client last saw, read from the
// database (never from a process's memory), in position order, then `sync`. Until then the socket
// sits in the SYNCING room, which live durable events skip, so nothing arrives twice or out of order.
// A position older than the feed's window (prune-feed.ts) gets `resync-required` instead of a replay.
import type { MessageFeed } from '@/messaging/message-feed';
import { logger } from '@/platform/logger';
import { metrics } from '@/platform/metrics';
import { DURABLE_EVENT, type HandshakeAuth } from './contract';
import type { Dispatcher } from './dispatcher';
import type { AppSocket } from './handlers';

/** Sockets still catching up from the database: live durable events skip them until they are done. */
export const SYNCING = 'syncing';
const REPLAY_BATCH = 500;

/** Returns what to run on each new connection. */
export function createResume(deps: {
  feed: MessageFeed;
  dispatcher: Dispatcher;
}): (socket: AppSocket) => void {
  const log = logger().child({ component: 'realtime' });
  return (socket) => {
    // Joined in the connection's first turn, before any live delivery can reach the socket.
    void socket.join(SYNCING);
    void synchronize(socket, requestedPosition(socket.handshake.auth), deps).catch((err: unknown) => {
      log.error({ err, userId: socket.data.user.id }, 'resume failed; disconnecting so the client retries');
      socket.disconnect(true);
    });
  };
}

/**
 * Brings a new connection up to the dispatcher's frontier from the database, then lets live
 * events through. JavaScript runs this loop's last check and the room change in one turn, so no
 * delivery can slip between the replay and the live stream.
 */
async function synchronize(
  socket: AppSocket,
  requested: number | undefined,
  { feed, dispatcher }: { feed: MessageFeed; dispatcher: Dispatcher },
) {
  let position = dispatcher.frontier;
  let replayed = 0;
  if (requested !== undefined) {
    // Older than the feed's window: what it missed was pruned, and a partial replay would look whole.
    if (requested < (await feed.prunedThrough())) return resync(socket, dispatcher, 0);
    // A client that saw a later position on another process: catch up to it first. A position
    // beyond anything committed (another database, a forged value) is clamped.
    position = Math.min(requested, await dispatcher.reach(requested));
    for (;;) {
      const frontier = dispatcher.frontier;
      const behind = position < frontier;
      while (position < frontier) {
        if (!socket.connected) return;
        const rows = await feed.read({
          userId: socket.data.user.id,
          after: position,
          upTo: frontier,
          limit: REPLAY_BATCH,
        });
        for (const row of rows) {
          socket.emit(DURABLE_EVENT[row.kind], {
            position: row.position,
            threadId: row.threadId,
            message: row.message,
          });
        }
        replayed += rows.length;
        position = rows.length < REPLAY_BATCH ? frontier : rows.at(-1)!.position;
      }
      // The pruner moves its boundary in the transaction that deletes: if this replay missed rows
      // that were deleted under it, the boundary says so now.
      if (behind && requested < (await feed.prunedThrough())) return resync(socket, dispatcher, replayed);
      if (dispatcher.frontier === frontier) break;
    }
    metrics().realtimeReplayed.inc(replayed);
  }
  if (!socket.connected) return;
  void socket.leave(SYNCING);
  socket.emit('sync', { position, replayed, resumed: requested !== undefined });
}

/**
 * Nothing (more) is replayed: the client reloads over REST and continues from the frontier. Read,
 * left and emitted in one turn, like `sync`, so live events start right after that position.
 */
function resync(socket: AppSocket, dispatcher: Dispatcher, replayed: number) {
  if (!socket.connected) return;
  const position = dispatcher.frontier;
  void socket.leave(SYNCING);
  socket.emit('resync-required', { position });
  socket.emit('sync', { position, replayed, resumed: false });
}

function requestedPosition(auth: unknown): number | undefined {
  const position = (auth as HandshakeAuth | undefined)?.position;
  return typeof position === 'number' && Number.isSafeInteger(position) && position >= 0
    ? position
    : undefined;
}
