// The reference server of bench:realtime: a bare Socket.IO server of the app's version, with no
// database and no auth, speaking the app's contract on /messages. A client names itself and its
// rooms in the handshake (`auth: { userId, name, rooms }`) and joins them at once; it gets `sync`
// as the app sends it once live events flow. On `send-message` the server builds a message shaped
// like the app's, emits `new-message` to the thread's room (the sender's socket is in it, as the
// app's sender gets its own message) and acknowledges with `{ data: { message, created } }`.
// Prints `LISTENING <port>`; GET /__memory answers process.memoryUsage() after a GC (run node with
// --expose-gc), like tests/support/realtime-node.ts.
//
// With BARE_DATABASE_URL (bench:realtime's "bare+db" server) each send first commits the bare shape
// of a send on PostgreSQL, the transaction pgbench runs: bump the thread's counter, insert the
// message with that number. It is one prepared statement (a CTE, so one round trip and an implicit
// transaction) on a pool of BARE_POOL (10, the app's pool size) connections, into bench:realtime's
// `bench_threads` / `bench_messages` (BARE_THREADS rows; a thread id is mapped to one of them on
// first sight). It answers what the least a database-backed Socket.IO server must do costs in the
// same harness: no auth, no checks, no feed, no search column, no unread state.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
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

const databaseUrl = process.env.BARE_DATABASE_URL?.trim();
const pool = databaseUrl
  ? new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BARE_POOL ?? 10) })
  : undefined;
const benchThreads = Number(process.env.BARE_THREADS ?? 150);
const threadRows = new Map<string, number>();
const SEND_SQL = `with t as (update bench_threads set last_seq = last_seq + 1 where id = $1 returning id, last_seq)
  insert into bench_messages (thread_id, seq, content) select id, last_seq, $2 from t returning seq`;

/** The next number in the thread: from the committed row with a database, else from memory. */
async function nextSeq(threadId: string, content: string): Promise<number> {
  if (!pool) {
    const seq = (seqs.get(threadId) ?? 0) + 1;
    seqs.set(threadId, seq);
    return seq;
  }
  let row = threadRows.get(threadId);
  if (row === undefined) threadRows.set(threadId, (row = (threadRows.size % benchThreads) + 1));
  const res = await pool.query<{ seq: string }>({ name: 'send', text: SEND_SQL, values: [row, content] });
  return Number(res.rows[0]!.seq);
}

nsp.on('connection', (socket) => {
  const auth = (socket.handshake.auth ?? {}) as BareAuth;
  const senderId = String(auth.userId ?? socket.id);
  const senderName = String(auth.name ?? 'Bench user');
  const rooms = Array.isArray(auth.rooms) ? auth.rooms.map((r) => threadRoom(String(r))) : [];
  void socket.join([userRoom(senderId), ...rooms]);
  socket.emit('sync', { position, replayed: 0, resumed: false });
  socket.on('send-message', async (payload, ack) => {
    const { threadId, content, clientMessageId } = payload;
    let seq: number;
    try {
      seq = await nextSeq(threadId, content);
    } catch {
      ack?.({ error: { code: 'INTERNAL', message: 'the write failed' } });
      return;
    }
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
  void io
    .close()
    .then(() => pool?.end())
    .finally(() => process.exit(0));
});
