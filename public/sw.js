// The notification service worker. It shows a web push (sender, thread, a preview unless the user
// turned previews off: the server decides what the payload says), opens the thread on a click, and
// re-subscribes when the browser rotates the subscription (pushsubscriptionchange). Registered by
// the app as /sw.js?area=user|instructor, so it knows which API to tell.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Classroom Messaging';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      icon: '/icon.svg',
      data: { url: typeof data.url === 'string' ? data.url : '/' },
    }),
  );
});

/** Only this app's own pages are opened, whatever a payload says. */
function targetOf(notification) {
  const url = new URL((notification.data && notification.data.url) || '/', self.location.origin);
  return url.origin === self.location.origin ? url.href : `${self.location.origin}/`;
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = targetOf(event.notification);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        const navigated = open.navigate ? await open.navigate(target).catch(() => null) : null;
        await (navigated || open).focus().catch(() => undefined);
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});

self.addEventListener('pushsubscriptionchange', (event) => {
  const area = new URL(self.location.href).searchParams.get('area') === 'user' ? 'user' : 'instructor';
  const base = `/api/${area}/notifications`;
  const json = { 'content-type': 'application/json' };
  event.waitUntil(
    (async () => {
      let subscription = event.newSubscription;
      if (!subscription) {
        const key = await fetch(`${base}/push-key`, { credentials: 'same-origin' }).then((r) => r.json());
        subscription = await self.registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key.data.publicKey,
        });
      }
      if (event.oldSubscription) {
        await fetch(`${base}/push-subscriptions`, {
          method: 'DELETE',
          credentials: 'same-origin',
          headers: json,
          body: JSON.stringify({ endpoint: event.oldSubscription.endpoint }),
        }).catch(() => undefined);
      }
      await fetch(`${base}/push-subscriptions`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: json,
        body: JSON.stringify(subscription.toJSON()),
      });
    })(),
  );
});
