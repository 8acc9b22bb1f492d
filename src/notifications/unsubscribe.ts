// The one-click unsubscribe of notification emails: a link signed with the app's secret, which
// turns the email digest off without a sign-in (RFC 8058's List-Unsubscribe-Post uses the same URL).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { turnEmailOff } from './preferences';

const sign = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(`unsubscribe:email:${userId}`).digest('base64url');

export function unsubscribeToken(secret: string, userId: string): string {
  return `${Buffer.from(userId).toString('base64url')}.${sign(secret, userId)}`;
}

export function unsubscribeUrl(appUrl: string, secret: string, userId: string): string {
  return `${appUrl}/api/notifications/unsubscribe?token=${encodeURIComponent(unsubscribeToken(secret, userId))}`;
}

/** The user a token names, or an INVALID_TOKEN error (400). */
export function verifyUnsubscribeToken(secret: string, token: string): string {
  const [idPart, mac] = token.split('.');
  const invalid = () => new AppError('INVALID_TOKEN', 'This unsubscribe link is not valid.', { status: 400 });
  if (!idPart || !mac) throw invalid();
  const userId = Buffer.from(idPart, 'base64url').toString();
  const expected = Buffer.from(sign(secret, userId));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  return userId;
}

export async function unsubscribeEmail(
  { db, secret }: { db: Db; secret: string },
  { token }: { token: string },
): Promise<{ email: string }> {
  const userId = verifyUnsubscribeToken(secret, token);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is not valid.', { status: 400 });
  await turnEmailOff(db, userId);
  return user;
}
