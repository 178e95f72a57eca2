import { resolve } from 'node:path';
import { openDb, schema, verifyAuditChain } from '@karte/db';
import { configFromEnv } from './config';

// npm run audit:verify — walks every facility's audit chain and exits 1 if any is broken.
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
let broken = 0;
try {
  const facilities = await karte.db.select().from(schema.facilities);
  for (const f of facilities) {
    const report = await verifyAuditChain(karte.db, f.id);
    if (!report.ok) broken++;
    console.log(
      report.ok
        ? `OK     ${f.institutionCode} ${f.name}: ${report.events} events, chain intact`
        : `BROKEN ${f.institutionCode} ${f.name}: at event ${report.brokenAt}: ${report.problem}`,
    );
  }
} finally {
  await karte.close();
}
process.exit(broken ? 1 : 0);
