/**
 * Vitest global setup of the database integration projects: the databases test files start from, built once
 * per run instead of once per file (migrations, code masters, the demo clinic and the 料金 master take seconds
 * each). Files that test those steps themselves still open an empty database (openTestDb()).
 */
import { ensureMasters } from '@karte/db';
import { createTestTemplate, type TestTemplate } from '@karte/db/testing';
import type { TestProject } from 'vitest/node';
import { configFromEnv } from './config';
import { log } from './log';
import { seedIfEmpty } from './seed/seed';
import { tariffReady } from './services/billing/tariff';

export interface KarteTemplates {
  /** Migrated, code masters loaded: what startTestApp(…, { seed: false }) boots on. */
  masters: TestTemplate;
  /** Plus the demo clinic as first boot seeds it and the bundled 料金 master. */
  demo: TestTemplate;
}

declare module 'vitest' {
  export interface ProvidedContext {
    karteTemplates: KarteTemplates;
  }
}

export default async function setup(project: TestProject) {
  const kind = project.name === 'int-postgres' ? 'postgres' : 'pglite';
  const masters = await createTestTemplate(kind, 'masters', async (karte) => {
    await ensureMasters(karte.db);
  });
  const demo = await createTestTemplate(kind, 'demo', async (karte) => {
    await ensureMasters(karte.db);
    await seedIfEmpty(karte.db, { ...configFromEnv({ KARTE_DEMO: '1' }), port: 0 }, log);
    await tariffReady(karte.db);
  });
  project.provide('karteTemplates', { masters: masters.template, demo: demo.template });
  return async () => {
    await masters.drop();
    await demo.drop();
  };
}
