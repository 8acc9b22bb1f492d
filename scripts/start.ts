// `npm start`: build the production bundle if needed, then run server.ts in production mode
// (it migrates, seeds an empty database and prints the demo logins).
import { ensureBuilt } from './lib/build';

if (!ensureBuilt()) process.exit(1);
Object.assign(process.env, { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
await import('../server');
