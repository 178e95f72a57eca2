import { resolve } from 'node:path';
import { openDb, schema } from '@karte/db';
import { configFromEnv } from './config';
import { createCheckpoint } from './services/auditTrail/anchor';
import { anchorDeps } from './services/auditTrail/service';

// npm run audit:checkpoint — signs a checkpoint of every facility's audit chain now (exit 1 if one is refused).
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
const deps = anchorDeps(config);
let failed = 0;
try {
  const facilities = await karte.db.select().from(schema.facilities);
  for (const f of facilities) {
    try {
      const done = await createCheckpoint(karte.db, deps, f.id, {
        userId: null,
        procedure: 'cli.auditCheckpoint',
      });
      console.log(
        `OK     ${f.institutionCode} ${f.name}: checkpoint at event ${done?.checkpoint.seq} → ${deps.store.location}/${f.id}/${done?.name}`,
      );
    } catch (error) {
      failed++;
      console.log(`FAILED ${f.institutionCode} ${f.name}: ${(error as Error).message}`);
    }
  }
} finally {
  await karte.close();
}
process.exit(failed ? 1 : 0);
