// What a notification about one message says, the same for a web push (flush-push.ts) and the open
// app's browser Notification: "Sender · Thread" and, unless the user turned previews off, the
// message's text cut short. With previews off the body never carries message text.

export const PREVIEW_CHARS = 140;

/** The body shown when previews are off. */
export const NO_PREVIEW_BODY = 'New message';

export function messageNotification(
  m: { senderName: string; threadTitle: string; content: string | null; urgent?: boolean },
  { previews }: { previews: boolean },
): { title: string; body: string } {
  const text = (m.content ?? '').replace(/\s+/g, ' ').trim();
  return {
    title: `${m.urgent ? 'Urgent: ' : ''}${m.senderName} · ${m.threadTitle}`,
    body: !previews
      ? NO_PREVIEW_BODY
      : text.length > PREVIEW_CHARS
        ? `${text.slice(0, PREVIEW_CHARS - 1)}…`
        : text || 'Sent an attachment',
  };
}
