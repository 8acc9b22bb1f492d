// Web push (RFC 8030/8291/8292) through the `web-push` library: payloads encrypted with aes128gcm
// to the subscription's keys, and a VAPID JWT for the push service. A 404 or 410 answer means the
// subscription is gone for good; the caller deletes it.
import type { Agent } from 'node:https';
import webpush from 'web-push';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushSender {
  publicKey: string;
  /** 'gone': the push service no longer knows this subscription (404/410). Other failures throw. */
  send(
    target: PushTarget,
    payload: string,
    opts?: { ttlSeconds?: number; urgency?: 'normal' | 'high' },
  ): Promise<'sent' | 'gone'>;
}

export function generateVapidKeys(): VapidKeys {
  return webpush.generateVAPIDKeys();
}

/** `agent`: an https.Agent for the push services (a proxy, or a private CA). */
export function createPushSender(opts: { keys: VapidKeys; subject: string; agent?: Agent }): PushSender {
  return {
    publicKey: opts.keys.publicKey,
    async send(target, payload, sendOpts = {}) {
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          payload,
          {
            vapidDetails: { subject: opts.subject, ...opts.keys },
            TTL: sendOpts.ttlSeconds ?? 24 * 60 * 60,
            urgency: sendOpts.urgency ?? 'normal',
            contentEncoding: 'aes128gcm',
            timeout: 10_000,
            ...(opts.agent ? { agent: opts.agent } : {}),
          },
        );
        return 'sent';
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return 'gone';
        throw err;
      }
    },
  };
}
