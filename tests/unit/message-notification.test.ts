// A notification about one message, as the open app's browser Notification and a web push both
// build it: the text is in the body only while the user's previews are on.
import { describe, expect, it } from 'vitest';
import { messageNotification, NO_PREVIEW_BODY, PREVIEW_CHARS } from '@/notifications/message-notification';
import { pushPayload } from '@/notifications/flush-push';
import type { TPendingItem } from '@/notifications/pending';

const message = { senderName: 'Ms Chen', threadTitle: 'Lab week 3', content: 'Bring   goggles\ntomorrow.' };

describe('messageNotification', () => {
  it('with previews on: sender and thread in the title, the text (spaces folded) in the body', () => {
    expect(messageNotification(message, { previews: true })).toEqual({
      title: 'Ms Chen · Lab week 3',
      body: 'Bring goggles tomorrow.',
    });
    const long = messageNotification({ ...message, content: 'x'.repeat(500) }, { previews: true });
    expect(long.body).toHaveLength(PREVIEW_CHARS);
    expect(long.body.endsWith('…')).toBe(true);
    expect(messageNotification({ ...message, content: null }, { previews: true }).body).toBe(
      'Sent an attachment',
    );
  });

  it('with previews off: no message text anywhere, whatever the message', () => {
    for (const content of ['Bring goggles tomorrow.', '', null]) {
      const n = messageNotification({ ...message, content, urgent: true }, { previews: false });
      expect(n).toEqual({ title: 'Urgent: Ms Chen · Lab week 3', body: NO_PREVIEW_BODY });
      expect(JSON.stringify(n)).not.toContain('goggles');
    }
  });

  it('is what a single-message web push carries', () => {
    const item: TPendingItem = {
      id: 1,
      messageId: 'm1',
      threadId: 't1',
      threadTitle: message.threadTitle,
      threadType: 'CLASS',
      senderName: message.senderName,
      content: message.content,
      createdAt: new Date('2026-03-08T10:00:00Z'),
      urgent: false,
    };
    const urlOf = (id?: string) => `/student/messages?thread=${id}`;
    const off = pushPayload([item], { previews: false, urlOf });
    expect(off).toMatchObject({ title: 'Ms Chen · Lab week 3', body: NO_PREVIEW_BODY, threadId: 't1' });
    expect(JSON.stringify(off)).not.toContain('goggles');
    expect(pushPayload([item], { previews: true, urlOf }).body).toBe('Bring goggles tomorrow.');
  });
});
