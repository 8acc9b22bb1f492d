// The settings API as the browser calls it: profile and preferences, and this device's push subscription.
import type { TSettings, TSettingsInput } from '@/notifications/preferences';
import type { Area } from '@/messaging/limits';
import { request } from '@/ui/messages/api';

export function settingsApi(area: Area) {
  const base = area === 'student' ? '/api/user' : '/api/instructor';
  return {
    get: (signal?: AbortSignal) => request<TSettings>('GET', `${base}/settings`, undefined, signal),
    save: (input: TSettingsInput) => request<TSettings>('PUT', `${base}/settings`, input),
    pushKey: () => request<{ publicKey: string }>('GET', `${base}/notifications/push-key`),
    subscribe: (subscription: PushSubscriptionJSON) =>
      request<{ id: string }>('POST', `${base}/notifications/push-subscriptions`, subscription),
    unsubscribe: (endpoint: string) =>
      request<{ deleted: boolean }>('DELETE', `${base}/notifications/push-subscriptions`, { endpoint }),
  };
}

export type SettingsApi = ReturnType<typeof settingsApi>;
