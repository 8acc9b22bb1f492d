// The set-up most realtime test files share: per database kind, one test database, the test
// services and an in-process realtime server for the describe block, and the clients a test opened
// closed after it. Vitest hooks, so only for test files (the child-process harness is realtime.ts).
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { MessagingClient } from '@/realtime/client';
import { installTestServices, type TestApi } from './api';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './db';
import { clientFor, startRealtimeServer, unlimited, type RealtimeServer } from './realtime';

export interface RealtimeSuite {
  database: TestDatabase;
  api: TestApi;
  server: RealtimeServer;
  /** Push every client a test opens; they are closed after each test. */
  clients: MessagingClient[];
  /** A client signed in as `user` (resuming from `position` if given), connected, and closed after the test. */
  connect(user: { email: string }, position?: number): Promise<MessagingClient>;
}

/** Call inside a describe block; the fields are set once its beforeAll has run. */
export function useRealtimeSuite(kind: TestDbKind): RealtimeSuite {
  const suite = { clients: [] as MessagingClient[] } as RealtimeSuite;
  suite.connect = async (user, position) => {
    const client = clientFor(suite.server.url, await suite.api.cookieFor(user), { position });
    suite.clients.push(client);
    await client.ready();
    return client;
  };
  beforeAll(async () => {
    suite.database = await createTestDatabase(kind);
    suite.api = installTestServices(suite.database.db, { rateLimiter: unlimited });
    suite.server = await startRealtimeServer(suite.api.services);
  });
  afterAll(async () => {
    await suite.server.close();
    await suite.database.dispose();
  });
  afterEach(() => suite.clients.splice(0).forEach((c) => c.close()));
  return suite;
}
