import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit tests (x.test.ts) run everywhere. Database integration tests (x.int.test.ts) run on embedded
// PGlite, or — when DATABASE_URL is set — on that PostgreSQL server instead (CI runs both legs). Tests of
// the embedded database itself (x.pglite.test.ts: data folder lock, `npm start` boot) run with PGlite only.
// Each integration project builds its template databases once per run (apps/api/src/testTemplates.ts).
const intProject = (name: string, db: 'pglite' | 'postgres') => ({
  test: {
    name,
    include: [
      'packages/**/src/**/*.int.test.ts',
      'apps/api/src/**/*.int.test.ts',
      ...(db === 'pglite' ? ['packages/**/src/**/*.pglite.test.ts', 'apps/api/src/**/*.pglite.test.ts'] : []),
    ],
    env: { KARTE_TEST_DB: db },
    globalSetup: ['apps/api/src/testTemplates.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: a single worker on a 2-core CI machine, which leaves the
    // integration tests (mostly waiting on HTTP and the database) running one file at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/**/src/**/*.test.ts', 'apps/**/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/*.pglite.test.ts', '**/node_modules/**'],
          // Some files read the bundled masters (the 支払基金 tariff, the FHIR packages) in their first test:
          // seconds on a busy 2-core machine. Speed is measured in the benchmarks, not here.
          testTimeout: 20_000,
        },
      },
      process.env.DATABASE_URL ? intProject('int-postgres', 'postgres') : intProject('int-pglite', 'pglite'),
    ],
  },
});
