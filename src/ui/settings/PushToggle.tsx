'use client';
// Push on this device: asks the browser's permission, subscribes through the service worker with
// the server's VAPID key and saves the subscription; off unsubscribes and forgets it.
import { useEffect, useState } from 'react';
import { primaryButton, secondaryButton } from '@/ui/buttons';
import { errorMessage } from '@/ui/messages/api';
import { serviceWorkerUrl } from '@/ui/notifications/use-app-notifications';
import type { SettingsApi } from './api';

type State = 'checking' | 'unsupported' | 'denied' | 'off' | 'on' | 'working';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function PushToggle({ api, area, onChange }: { api: SettingsApi; area: string; onChange(): void }) {
  const [state, setState] = useState<State>('checking');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const check = async (): Promise<State> => {
      if (
        !('serviceWorker' in navigator) ||
        !('PushManager' in window) ||
        typeof Notification === 'undefined'
      )
        return 'unsupported';
      if (Notification.permission === 'denied') return 'denied';
      const reg = await navigator.serviceWorker.register(serviceWorkerUrl(area));
      return (await reg.pushManager.getSubscription()) ? 'on' : 'off';
    };
    void check()
      .catch((): State => 'unsupported')
      .then(setState);
  }, [area]);

  async function turnOn() {
    setState('working');
    setError(null);
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        setState('denied');
        return;
      }
      const reg = await navigator.serviceWorker.register(serviceWorkerUrl(area));
      await navigator.serviceWorker.ready;
      const { publicKey } = await api.pushKey();
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      });
      await api.subscribe(sub.toJSON());
      setState('on');
      onChange();
    } catch (err) {
      setError(
        err instanceof Error && !('code' in err)
          ? 'This browser could not subscribe to push.'
          : errorMessage(err),
      );
      setState('off');
    }
  }

  async function turnOff() {
    setState('working');
    setError(null);
    try {
      const reg = await navigator.serviceWorker.getRegistration(serviceWorkerUrl(area));
      const sub = await reg?.pushManager.getSubscription();
      if (sub) {
        await api.unsubscribe(sub.endpoint);
        await sub.unsubscribe();
      }
      setState('off');
      onChange();
    } catch (err) {
      setError(errorMessage(err));
      setState('on');
    }
  }

  const text: Record<State, string> = {
    checking: 'Checking this browser…',
    unsupported: 'This browser cannot receive push notifications.',
    denied:
      'Notifications are blocked for this site. Allow them in your browser’s site settings to turn push on.',
    off: 'Push notifications are off on this device.',
    on: 'Push notifications are on for this device.',
    working: 'Updating…',
  };
  return (
    <div className="space-y-3 text-sm">
      <p role="status" data-testid="push-state" data-state={state} className="text-slate-700">
        {text[state]}
      </p>
      {state === 'off' || state === 'on' || state === 'working' ? (
        state === 'on' ? (
          <button type="button" className={secondaryButton} onClick={() => void turnOff()}>
            Turn off push on this device
          </button>
        ) : (
          <button
            type="button"
            className={primaryButton}
            disabled={state === 'working'}
            onClick={() => void turnOn()}
          >
            Turn on push on this device
          </button>
        )
      ) : null}
      {error ? (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
