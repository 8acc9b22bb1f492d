'use client';
// What the open app does for notifications: the tab title carries the unread count ("(3) Messages ·
// Classroom Messaging"), the notification service worker is registered, and while the tab is
// hidden a new message from someone else in an unmuted thread shows a browser Notification (when
// the user has allowed them), with the message's text only if the user's Previews preference is on;
// clicking it focuses the tab on that thread.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { messageNotification } from '@/notifications/message-notification';
import { useMessaging } from '@/ui/messages/MessagingProvider';

const COUNT_PREFIX = /^\(\d+\+?\) /;

export function serviceWorkerUrl(area: string): string {
  return `/sw.js?area=${area === 'student' ? 'user' : 'instructor'}`;
}

/** Keeps "(n) " in front of the document's title, also after Next changes the title on navigation. */
export function useTabTitleCount(count: number, label: string): void {
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(COUNT_PREFIX, '');
      const next = count > 0 ? `(${label}) ${base}` : base;
      if (document.title !== next) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = document.title.replace(COUNT_PREFIX, '');
    };
  }, [count, label]);
}

/** Messages older than this when they arrive (a replay after a reconnect) are not announced. */
const FRESH_MS = 2 * 60_000;

export function useBrowserNotifications(): void {
  const { viewer, area, api, client } = useMessaging();
  const router = useRouter();
  useEffect(() => {
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register(serviceWorkerUrl(area)).catch(() => undefined);
    }
  }, [area]);
  useEffect(() => {
    return client().on('new-message', ({ threadId, message }) => {
      if (message.senderId === viewer.id || !document.hidden) return;
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      if (Date.now() - new Date(message.createdAt).getTime() > FRESH_MS) return;
      void api
        .getThread(threadId)
        .then(({ thread }) => {
          if (thread.muted) return;
          const { title, body } = messageNotification(
            { senderName: message.senderName, threadTitle: thread.displayTitle, content: message.content },
            { previews: viewer.previews },
          );
          const n = new Notification(title, {
            body,
            tag: `thread-${threadId}`,
            icon: '/icon.svg',
          });
          n.onclick = () => {
            window.focus();
            router.push(`/${area}/messages?thread=${encodeURIComponent(threadId)}`);
            n.close();
          };
        })
        .catch(() => undefined);
    });
  }, [api, area, client, router, viewer.id, viewer.previews]);
}
