// A user's notification preferences and profile (display name, time zone), read and saved as one
// settings object. Users without a row have the defaults: the email digest on, push off until a
// device subscribes, no quiet hours, previews on, UTC until the browser says otherwise.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type Db } from '@/db/client';
import { notificationPreferences, pushSubscriptions, users } from '@/db/schema';
import { AppError, parseInput } from '@/platform/errors';
import { formatClockTime, isTimeZone, parseClockTime, type TQuietHours } from './quiet-hours';

export const EMAIL_MODES = ['off', 'digest', 'daily'] as const;
export type TEmailMode = (typeof EMAIL_MODES)[number];

export interface TPreferences {
  emailMode: TEmailMode;
  dailyHour: number;
  quiet: TQuietHours | null;
  timeZone: string;
  previews: boolean;
}

export const DEFAULT_PREFERENCES: TPreferences = {
  emailMode: 'digest',
  dailyHour: 17,
  quiet: null,
  timeZone: 'UTC',
  previews: true,
};

const ZClock = z.string().refine((v) => parseClockTime(v) !== null, 'Use a time like 22:00.');

export const ZSettingsInput = z
  .object({
    name: z.string().trim().min(1, 'Enter your name.').max(100, 'At most 100 characters.'),
    timeZone: z.string().trim().refine(isTimeZone, 'Choose a time zone from the list (e.g. Europe/Paris).'),
    emailMode: z.enum(EMAIL_MODES, { error: 'Choose off, digest or daily.' }),
    dailyHour: z
      .number()
      .int()
      .min(0, 'Choose an hour from 0 to 23.')
      .max(23, 'Choose an hour from 0 to 23.'),
    quietHours: z.object({ start: ZClock, end: ZClock }).nullable(),
    previews: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.quietHours && v.quietHours.start === v.quietHours.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['quietHours', 'end'],
        message: 'Quiet hours must end at a different time than they start.',
      });
    }
  })
  .meta({ id: 'SettingsInput' });
export type TSettingsInput = z.input<typeof ZSettingsInput>;

export const ZSettings = z
  .object({
    name: z.string(),
    email: z.string(),
    timeZone: z.string(),
    emailMode: z.enum(EMAIL_MODES),
    dailyHour: z.number().int(),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    previews: z.boolean(),
    /** Devices with push on. */
    pushDevices: z.number().int(),
    /** True until the user first saves: the time zone may be taken from the browser. */
    defaults: z.boolean(),
  })
  .meta({ id: 'Settings' });
export type TSettings = z.infer<typeof ZSettings>;

/** The preferences of these users (defaults for those without a row). */
export async function readPreferences(db: Db, userIds: string[]): Promise<Map<string, TPreferences>> {
  const out = new Map<string, TPreferences>();
  if (!userIds.length) return out;
  const rows = await db
    .select()
    .from(notificationPreferences)
    .where(sql`${notificationPreferences.userId} in ${userIds}`);
  for (const id of userIds) out.set(id, DEFAULT_PREFERENCES);
  for (const r of rows) {
    out.set(r.userId, {
      emailMode: r.emailMode,
      dailyHour: r.dailyHour,
      quiet: r.quietStart !== null && r.quietEnd !== null ? { start: r.quietStart, end: r.quietEnd } : null,
      timeZone: r.timeZone ?? DEFAULT_PREFERENCES.timeZone,
      previews: r.previews,
    });
  }
  return out;
}

/**
 * What the UI shows by: the profile's time zone (null while the user has not saved settings, when
 * the browser's zone applies) and whether notifications may carry message text.
 */
export async function getViewerPreferences(
  { db }: { db: Db },
  { userId }: { userId: string },
): Promise<{ timeZone: string | null; previews: boolean }> {
  const [row] = await db
    .select({ timeZone: notificationPreferences.timeZone, previews: notificationPreferences.previews })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return row ?? { timeZone: null, previews: DEFAULT_PREFERENCES.previews };
}

export async function getSettings({ db }: { db: Db }, { userId }: { userId: string }): Promise<TSettings> {
  const [user] = await db
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
  const [[row], [devices]] = await Promise.all([
    db
      .select({ timeZone: notificationPreferences.timeZone })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId)),
  ]);
  const prefs = (await readPreferences(db, [userId])).get(userId)!;
  return {
    ...user,
    timeZone: prefs.timeZone,
    emailMode: prefs.emailMode,
    dailyHour: prefs.dailyHour,
    quietHours: prefs.quiet
      ? { start: formatClockTime(prefs.quiet.start), end: formatClockTime(prefs.quiet.end) }
      : null,
    previews: prefs.previews,
    pushDevices: Number(devices?.n ?? 0),
    // Until a zone is saved (never, or only the unsubscribe link's row), the form offers the browser's.
    defaults: !row?.timeZone,
  };
}

export async function updateSettings(
  { db }: { db: Db },
  { userId, input }: { userId: string; input: TSettingsInput },
): Promise<TSettings> {
  const v = parseInput(ZSettingsInput, input);
  const values = {
    emailMode: v.emailMode,
    dailyHour: v.dailyHour,
    quietStart: v.quietHours ? parseClockTime(v.quietHours.start) : null,
    quietEnd: v.quietHours ? parseClockTime(v.quietHours.end) : null,
    timeZone: v.timeZone,
    previews: v.previews,
    updatedAt: new Date(),
  };
  await inTransaction(db, async (tx) => {
    await tx.update(users).set({ name: v.name, updatedAt: new Date() }).where(eq(users.id, userId));
    await tx
      .insert(notificationPreferences)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
  });
  return getSettings({ db }, { userId });
}

/** Email off for this user (the unsubscribe link), keeping their other choices. */
export async function turnEmailOff(db: Db, userId: string): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ userId, emailMode: 'off' })
    .onConflictDoUpdate({
      target: notificationPreferences.userId,
      set: { emailMode: 'off', updatedAt: new Date() },
    });
}
