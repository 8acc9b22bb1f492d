// Records, on every incoming request, the client address that limits and logs use: computed once
// from the socket peer and (per TRUST_PROXY) X-Forwarded-For, replacing any value the client sent.
import type { IncomingMessage } from 'node:http';
import { CLIENT_IP_HEADER, clientIp, type TTrustProxy } from '@/platform/client-ip';

export function recordClientIp(req: IncomingMessage, trust: TTrustProxy): string {
  const forwarded = req.headers['x-forwarded-for'];
  const ip = clientIp(
    {
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
    },
    trust,
  );
  req.headers[CLIENT_IP_HEADER] = ip;
  return ip;
}
