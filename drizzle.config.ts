import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are applied by scripts/migrate.ts (PGlite or Postgres alike).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
