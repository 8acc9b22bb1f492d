// Handshake authentication: the session cookie, checked by better-auth when the socket connects,
// and the user and session id kept in typed socket.data (sessions.ts re-checks the session after
// that). A refused connection gets a connect_error whose `data` carries the same { code, message }
// as every other error of the app.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Auth } from '@/auth/auth';
import { getSignedIn } from '@/auth/session';
import { CLIENT_IP_HEADER } from '@/platform/client-ip';
import { logger } from '@/platform/logger';
import { authFailed } from '@/platform/ops-events';
import type { AckError, SocketData } from './contract';

export type HandshakeError = Error & { data: AckError };

export function handshakeError(code: string, message: string): HandshakeError {
  return Object.assign(new Error(message), { data: { code, message } });
}

export function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) headers.set(k, v.join(', '));
  }
  return headers;
}

/** The address the custom server recorded for this handshake's request. */
function clientAddress(request: IncomingMessage): string | undefined {
  const value = request.headers[CLIENT_IP_HEADER];
  return typeof value === 'string' ? value : request.socket?.remoteAddress;
}

/** The user and session behind the handshake's cookie, or a HandshakeError to refuse the connection with. */
export async function authenticateHandshake(
  auth: Auth,
  request: IncomingMessage,
): Promise<SocketData | HandshakeError> {
  try {
    const signedIn = await getSignedIn(auth, toHeaders(request.headers));
    if (!signedIn) {
      authFailed({ reason: 'no_session', ip: clientAddress(request) });
      return handshakeError('UNAUTHORIZED', 'Sign in to continue.');
    }
    const { id, name, role } = signedIn.user;
    return { user: { id, name, role }, sessionId: signedIn.sessionId };
  } catch (err) {
    logger().warn({ err }, 'socket handshake: session lookup failed');
    return handshakeError('UNAVAILABLE', 'Could not check your session. Try again shortly.');
  }
}

/**
 * Cookies ride along on a cross-site WebSocket handshake, so a page on another origin could open
 * a socket as the user. Browsers always send Origin: it must be this host or an allowed origin.
 * Clients without an Origin header (Node, tests, benches) are not browsers and carry their own cookie.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
