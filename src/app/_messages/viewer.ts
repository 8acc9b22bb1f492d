// What a signed-in area's layout hands MessagingProvider besides the realtime position: who views
// (with the profile's time zone and the Previews choice, so times and notifications follow them
// from the first render) and the browser's own zone from its cookie, for users with no profile zone.
import 'server-only';
import { cookies } from 'next/headers';
import type { SessionUser } from '@/auth/session';
import { getViewerPreferences } from '@/notifications/preferences';
import { isTimeZone } from '@/notifications/quiet-hours';
import { getAppServices } from '@/server/services';
import type { Viewer } from '@/ui/messages/MessagingProvider';
import { BROWSER_ZONE_COOKIE } from '@/ui/time-format';

export async function renderViewer(
  user: SessionUser,
): Promise<{ viewer: Viewer; browserZoneHint: string | null }> {
  const services = await getAppServices();
  const [prefs, jar] = await Promise.all([getViewerPreferences(services, { userId: user.id }), cookies()]);
  const hint = jar.get(BROWSER_ZONE_COOKIE)?.value ?? null;
  return {
    viewer: { id: user.id, name: user.name, role: user.role, ...prefs },
    browserZoneHint: hint && isTimeZone(hint) ? hint : null,
  };
}
