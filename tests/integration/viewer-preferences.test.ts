// What the layouts hand the UI of a user's preferences: no time zone until they save one (the
// browser's applies), then the saved zone; and the Previews choice the open tab's notifications follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings, getViewerPreferences, turnEmailOff, updateSettings } from '@/notifications/preferences';
import { createUser } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

for (const kind of dbKinds()) {
  describe(`viewer preferences (${kind})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
    });
    afterAll(() => database.dispose());

    it('has no time zone and previews on for a new account, then what the user saved', async () => {
      const ctx = { db: database.db };
      const user = await createUser(ctx.db, { name: 'Zoe' });
      expect(await getViewerPreferences(ctx, { userId: user.id })).toEqual({
        timeZone: null,
        previews: true,
      });
      await updateSettings(ctx, {
        userId: user.id,
        input: {
          name: 'Zoe',
          timeZone: 'Asia/Tokyo',
          emailMode: 'digest',
          dailyHour: 17,
          quietHours: null,
          previews: false,
        },
      });
      expect(await getViewerPreferences(ctx, { userId: user.id })).toEqual({
        timeZone: 'Asia/Tokyo',
        previews: false,
      });
    });

    it('keeps no time zone for someone who only used the unsubscribe link', async () => {
      const ctx = { db: database.db };
      const user = await createUser(ctx.db, { name: 'Yuki' });
      await turnEmailOff(ctx.db, user.id);
      // Email is off, but nothing chose a zone: the UI still follows the browser's, and the
      // settings form still offers it.
      expect(await getViewerPreferences(ctx, { userId: user.id })).toEqual({
        timeZone: null,
        previews: true,
      });
      const settings = await getSettings(ctx, { userId: user.id });
      expect(settings).toMatchObject({ emailMode: 'off', defaults: true, timeZone: 'UTC' });
    });
  });
}
