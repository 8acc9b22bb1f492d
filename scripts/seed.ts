// `npm run db:seed`: migrate, then load the demo data (into an empty database only).
import { getDatabase } from '../src/db';
import { refreshStatistics } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { demoLoginsText, isEmpty, seedDemo } from '../src/server/seed';
import { exitOnFatal } from '../src/server/cli';

async function main() {
  const database = await getDatabase();
  await migrateDatabase(database);
  if (await isEmpty(database.db)) {
    await seedDemo(database.db);
    await refreshStatistics(database);
    console.log('Demo data seeded.');
  } else {
    console.log('The database already has users; demo data was not added again.');
  }
  console.log(`\n${demoLoginsText()}\n`);
  await database.close();
}

main().catch(exitOnFatal);
