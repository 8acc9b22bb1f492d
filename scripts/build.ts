// `npm run build`: the production bundle, recorded with a digest of its sources so that
// `npm start` and `npm test` reuse it until a source changes (scripts/lib/build.ts).
import { buildBundle } from './lib/build';

process.exit(buildBundle() ? 0 : 1);
