'use client';
// The time zone the UI shows times in: the signed-in user's profile zone, passed from the server
// with the viewer, so the server's render and the browser's agree. With none chosen, the browser's
// own zone, which the server knows from the browser's cookie after its first visit (until then the
// server renders UTC and the browser switches once hydrated).
import { useHydrated } from '@/ui/messages/display';
import { useOptionalMessaging } from '@/ui/messages/MessagingProvider';
import { browserTimeZone, timeFormat, type TimeFormat } from '@/ui/time-format';

export function useTimeZone(): string {
  const ctx = useOptionalMessaging();
  const hydrated = useHydrated();
  if (ctx?.viewer.timeZone) return ctx.viewer.timeZone;
  return hydrated ? browserTimeZone() : (ctx?.browserZoneHint ?? 'UTC');
}

export function useTimeFormat(): TimeFormat {
  return timeFormat(useTimeZone());
}
