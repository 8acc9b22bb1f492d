// Checks an `Authorization: Bearer …` header against a configured secret (the metrics scrape token).
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True only when a secret is configured and the header carries exactly that secret. No secret means no
 * caller gets in, loopback included: a reverse proxy on the same host would otherwise look local.
 */
export function bearerTokenMatches(
  authorization: string | null | undefined,
  secret: string | undefined,
): boolean {
  if (!secret) return false;
  const token = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  if (!token) return false;
  // Comparing fixed-length digests in constant time says nothing about where the tokens differ, nor
  // about the secret's length.
  return timingSafeEqual(digest(token), digest(secret));
}
