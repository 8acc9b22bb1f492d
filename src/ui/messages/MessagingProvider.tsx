'use client';
// One realtime connection per browser tab, shared by every component of a signed-in area (the
// navigation's unread badge, the dashboard, the messages page) and kept across client-side
// navigation. The outbox lives in localStorage per user, so a reload neither loses nor repeats a
// message written offline.
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { Area } from '@/auth/session';
import type { Role } from '@/messaging/limits';
import {
  createMessagingClient,
  localStorageOutbox,
  type ConnectionStatus,
  type MessagingClient,
  type OutboxEntry,
} from '@/realtime/client';
import { BROWSER_ZONE_COOKIE, browserTimeZone } from '@/ui/time-format';
import { messagingApi, type MessagingApi } from './api';

export interface Viewer {
  id: string;
  name: string;
  role: Role;
  /** The profile's time zone for times in the UI; null when never chosen (the browser's applies). */
  timeZone: string | null;
  /** Whether notifications may show message text (the user's Previews preference). */
  previews: boolean;
}

interface MessagingContextValue {
  viewer: Viewer;
  /** The browser's zone as its cookie told the server; the server's render uses it when the profile has none. */
  browserZoneHint: string | null;
  area: Area;
  api: MessagingApi;
  /** The tab's realtime client. A function: there is none during server rendering. */
  client: () => MessagingClient;
}

const Ctx = createContext<MessagingContextValue | null>(null);

let shared: { userId: string; client: MessagingClient } | null = null;

/**
 * The tab's client for this user; created on first use in the browser, never on the server. A new
 * client resumes from `position`, the change feed's position when the server rendered the page:
 * what changed after the render and before the first connect is replayed to it.
 */
export function messagingClientFor(userId: string, position?: number): MessagingClient {
  if (shared?.userId !== userId) {
    shared?.client.close();
    const client = createMessagingClient({ outbox: localStorageOutbox(`cm:outbox:${userId}`), position });
    shared = { userId, client };
    followBrowserNetwork(client);
  }
  return shared.client;
}

/**
 * The browser knows at once when the network goes; a socket would notice only at its next missed
 * heartbeat, up to 45 s later. Going offline closes it; coming back reconnects (and resumes).
 */
function followBrowserNetwork(client: MessagingClient) {
  const offline = () => {
    if (shared?.client === client) client.socket.disconnect();
  };
  const online = () => {
    if (shared?.client === client && !client.socket.connected) client.socket.connect();
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
}

/** On sign-out: the socket was authenticated as this user, so it must not outlive the session. */
export function closeMessagingClient(): void {
  shared?.client.close();
  shared = null;
}

export function MessagingProvider({
  viewer,
  area,
  position,
  browserZoneHint = null,
  children,
}: {
  viewer: Viewer;
  area: Area;
  /** The change feed's position the server rendered at (read before the page's data). */
  position?: number;
  /** The browser's time zone from its cookie, if it sent one. */
  browserZoneHint?: string | null;
  children: ReactNode;
}) {
  const { id, name, role, timeZone, previews } = viewer;
  // Only a new client uses it; a later render's position must not make every view subscribe anew.
  const [created] = useState(position);
  // Apart from the viewer: a new name, zone or Previews choice (Settings saved) must not make the
  // views that depend on the api or the client fetch and subscribe anew.
  const api = useMemo(() => messagingApi(area), [area]);
  const client = useMemo(() => () => messagingClientFor(id, created), [id, created]);
  const value = useMemo(
    () => ({ viewer: { id, name, role, timeZone, previews }, browserZoneHint, area, api, client }),
    [id, name, role, timeZone, previews, browserZoneHint, area, api, client],
  );
  useEffect(() => {
    const zone = browserTimeZone();
    if (zone !== browserZoneHint) {
      document.cookie = `${BROWSER_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [browserZoneHint]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The context, or null outside a signed-in area. */
export function useOptionalMessaging(): MessagingContextValue | null {
  return useContext(Ctx);
}

export function useMessaging(): MessagingContextValue {
  const value = useContext(Ctx);
  if (!value) throw new Error('useMessaging must be used inside <MessagingProvider>');
  return value;
}

const noop = () => () => {};

/** The connection's status; 'connecting' during server rendering. */
export function useConnectionStatus(): ConnectionStatus {
  // Through the context's client(), never messagingClientFor(id) alone: whichever hook runs first
  // creates the client, and it must be created with the render's position or the first connect
  // does not resume from it (and an open conversation reads itself again).
  const { client } = useMessaging();
  return useSyncExternalStore(
    (cb) => client().on('status', cb),
    () => client().status,
    () => 'connecting',
  );
}

const EMPTY: readonly OutboxEntry[] = [];

/** The outbox: messages written but not yet acknowledged, or refused. */
export function useOutbox(): readonly OutboxEntry[] {
  const { client } = useMessaging();
  return useSyncExternalStore(
    typeof window === 'undefined' ? noop : (cb) => client().on('outbox', cb),
    () => client().outbox,
    () => EMPTY,
  );
}
