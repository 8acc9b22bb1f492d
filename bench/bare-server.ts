// The reference server of bench:realtime: a bare Socket.IO server of the app's version, with no
// database and no auth, speaking the app's contract on /messages. A client names itself and its
// rooms in the handshake (`auth: { userId, name, rooms }`) and joins them at once; it gets `sync`
// as the app sends it once live events flow. On `send-message` the server builds a message shaped
// like the app's, emits `new-message` to the thread's room (the sender's socket is in it, as the
// app's sender gets its own message) and acknowledges with `{ data: { message, created } }`.
// Prints `LISTENING <port>`; GET /__memory answers process.memoryUsage() after a GC (run node with
// --expose-gc), like tests/support/realtime-node.ts.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import {
  NAMESPACE,
  SOCKET_PATH,
  threadRoom,
  userRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type WireMessage,
} from '@/realtime/contract';
import { listenPort, memoryRoute } from '../tests/support/node-process';

interface BareAuth {
  userId?: string;
  name?: string;
  rooms?: string[];
}

const http = createServer(memoryRoute);
const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
  path: SOCKET_PATH,
  serveClient: false,
});
const nsp = io.of(NAMESPACE);
let position = 0;
const seqs = new Map<string, number>();

nsp.on('connection', (socket) => {
  const auth = (socket.handshake.auth ?? {}) as BareAuth;
  const senderId = String(auth.userId ?? socket.id);
  const senderName = String(auth.name ?? 'Bench user');
  const rooms = Array.isArray(auth.rooms) ? auth.rooms.map((r) => threadRoom(String(r))) : [];
  void socket.join([userRoom(senderId), ...rooms]);
  socket.emit('sync', { position, replayed: 0, resumed: false });
  socket.on('send-message', (payload, ack) => {
    const { threadId, content, clientMessageId } = payload;
    const seq = (seqs.get(threadId) ?? 0) + 1;
    seqs.set(threadId, seq);
    const message: WireMessage = {
      id: randomUUID(),
      threadId,
      seq,
      senderId,
      senderName,
      senderRole: 'STUDENT',
      content,
      clientMessageId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      attachments: [],
      replyTo: null,
      reactions: [],
      mentions: [],
      version: 0,
      deletedAt: null,
    };
    // As in the app: the delivery is emitted first, then the acknowledgement.
    nsp.to(threadRoom(threadId)).emit('new-message', { position: ++position, threadId, message });
    ack?.({ data: { message, created: true } });
  });
});

http.listen(listenPort(), '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  void io.close().finally(() => process.exit(0));
});
