// The resume when the pruner overtakes a client while it is being replayed: the rows read may be
// partial, so it ends in `resync-required` rather than a `sync` that would claim everything was
// delivered. A race no real run hits on demand, so the feed and the socket are stand-ins here; the
// real sockets and database cover the rest (tests/integration/feed-window.test.ts).
import { describe, expect, it } from 'vitest';
import type { TLogEntry } from '@/messaging/message-log';
import type { MessageFeed } from '@/messaging/message-feed';
import type { Dispatcher } from '@/realtime/dispatcher';
import type { AppSocket } from '@/realtime/handlers';
import { createResume, SYNCING } from '@/realtime/resume';

function entry(position: number): TLogEntry {
  return {
    position,
    kind: 'created',
    threadId: 't1',
    participantIds: [],
    message: {
      id: `m${position}`,
      threadId: 't1',
      seq: position,
      senderId: 'u1',
      senderName: 'Ada',
      senderRole: 'STUDENT',
      content: `message ${position}`,
      clientMessageId: null,
      createdAt: new Date(0).toISOString(),
      editedAt: null,
      deletedAt: null,
      attachments: [],
      replyTo: null,
      reactions: [],
      mentions: [],
      version: 0,
    },
  };
}

/** A socket that records what it is told, resuming from `position`; `done` once it has its sync. */
function fakeSocket(position: number) {
  const emitted: Array<{ event: string; payload: unknown }> = [];
  const rooms = new Set<string>();
  let synced = () => {};
  const done = new Promise<void>((resolve) => (synced = resolve));
  const socket = {
    connected: true,
    handshake: { auth: { position } },
    data: { user: { id: 'u1', name: 'Ada', role: 'STUDENT' }, sessionId: 's1' },
    join: (room: string) => void rooms.add(room),
    leave: (room: string) => void rooms.delete(room),
    emit: (event: string, payload: unknown) => {
      emitted.push({ event, payload });
      if (event === 'sync') synced();
      return true;
    },
    disconnect: () => synced(),
  };
  // Only the members resume uses; the rest of a Socket.IO socket is not needed.
  return { socket: socket as unknown as AppSocket, emitted, rooms, done };
}

describe('resume across the feed window', () => {
  const dispatcher = {
    frontier: 10,
    reach: () => Promise.resolve(10),
  } as unknown as Dispatcher;

  it('ends in resync-required when the boundary passes the client during its replay', async () => {
    const boundaries = [2, 6];
    const feed: MessageFeed = {
      identity: () => Promise.resolve('feed'),
      currentPosition: () => Promise.resolve(10),
      // Rows 4..6 were deleted under the replay: only 7..10 are read.
      read: () => Promise.resolve([7, 8, 9, 10].map(entry)),
      prunedThrough: () => Promise.resolve(boundaries.shift() ?? 6),
      sequence: () => Promise.resolve([]),
    };
    const socket = fakeSocket(3);
    createResume({ feed, dispatcher })(socket.socket);
    await socket.done;
    expect(socket.emitted.map((e) => e.event)).toEqual([
      'new-message',
      'new-message',
      'new-message',
      'new-message',
      'resync-required',
      'sync',
    ]);
    expect(socket.emitted.slice(-2).map((e) => e.payload)).toEqual([
      { position: 10 },
      { position: 10, replayed: 4, resumed: false },
    ]);
    expect(socket.rooms.has(SYNCING)).toBe(false);
  });

  it('replays and syncs as before when the boundary stays below the client', async () => {
    const feed: MessageFeed = {
      identity: () => Promise.resolve('feed'),
      currentPosition: () => Promise.resolve(10),
      read: () => Promise.resolve([4, 5, 6, 7, 8, 9, 10].map(entry)),
      prunedThrough: () => Promise.resolve(3),
      sequence: () => Promise.resolve([]),
    };
    const socket = fakeSocket(3);
    createResume({ feed, dispatcher })(socket.socket);
    await socket.done;
    expect(socket.emitted.map((e) => e.event).filter((e) => e !== 'new-message')).toEqual(['sync']);
    expect(socket.emitted.at(-1)!.payload).toEqual({ position: 10, replayed: 7, resumed: true });
  });
});
