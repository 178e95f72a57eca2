import { defineConfig } from 'vitest/config';

// Unit tests (x.test.ts) run everywhere; database integration tests (x.int.test.ts) run on
// embedded PGlite, and again on PostgreSQL when DATABASE_URL is set. Tests of the embedded
// database itself (x.pglite.test.ts: data folder lock, `npm start` boot) run with the PGlite leg only.
const intProject = (name: string, db: 'pglite' | 'postgres') => ({
  test: {
    name,
    include: [
      'packages/**/src/**/*.int.test.ts',
      'apps/api/src/**/*.int.test.ts',
      ...(db === 'pglite' ? ['packages/**/src/**/*.pglite.test.ts', 'apps/api/src/**/*.pglite.test.ts'] : []),
    ],
    env: { KARTE_TEST_DB: db },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/**/src/**/*.test.ts', 'apps/**/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/*.pglite.test.ts', '**/node_modules/**'],
        },
      },
      intProject('int-pglite', 'pglite'),
      ...(process.env.DATABASE_URL ? [intProject('int-postgres', 'postgres')] : []),
    ],
  },
});
