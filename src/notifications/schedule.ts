// When a planned notification may go out for a user: its due time (the message's time, plus
// NOTIFY_EMAIL_DELAY for a non-urgent email), moved to the user's next daily-summary hour when they
// chose one, and past their quiet hours. Pure: the flush and the planner share it.
import type { TPreferences } from './preferences';
import { nextLocalTime, quietEndsAt } from './quiet-hours';
import type { TChannel } from './context';

export function sendableAt(due: Date, prefs: TPreferences, channel: TChannel): Date {
  let t = due;
  if (channel === 'email' && prefs.emailMode === 'daily')
    t = nextLocalTime(prefs.dailyHour * 60, prefs.timeZone, t);
  return quietEndsAt(prefs.quiet, prefs.timeZone, t);
}
