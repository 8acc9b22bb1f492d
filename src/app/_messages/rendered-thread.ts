// What a messages page opened on a conversation (?thread=…) renders on the server: the thread as
// GET …/threads/{threadId} returns it, with the change-feed position it is at least as new as. The
// browser's realtime client resumes from that position, so whatever is committed between the
// render and its first connect is replayed to it instead of being lost.
import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { getThread } from '@/messaging/get-thread';
import { ZId } from '@/messaging/ids';
import { createMessageFeed } from '@/messaging/message-feed';
import { AppError } from '@/platform/errors';
import { getAppServices } from '@/server/services';
import { NONCE_HEADER } from '@/platform/security-headers';
import type { RenderedThread } from '@/ui/messages/use-thread';

/** One per request: the layout seeds the realtime client with the position the page read after. */
export const renderPosition = cache(async (): Promise<number> => {
  const services = await getAppServices();
  return createMessageFeed(services).currentPosition();
});

export async function renderedThread(
  userId: string,
  threadParam: string | string[] | undefined,
): Promise<RenderedThread | null> {
  const threadId = ZId.safeParse(threadParam);
  if (!threadId.success) return null;
  const services = await getAppServices();
  // Read before the thread: anything newer than this position is replayed to the browser.
  const position = await renderPosition();
  try {
    const detail = await getThread(services, { userId, threadId: threadId.data });
    const scriptNonce = (await headers()).get(NONCE_HEADER) ?? undefined;
    return { detail, position, ...(scriptNonce ? { scriptNonce } : {}) };
  } catch (err) {
    // Someone else's or a missing thread: the browser asks and shows its not-found state, as before.
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
