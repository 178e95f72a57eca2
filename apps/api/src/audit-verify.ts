import { resolve } from 'node:path';
import { openDb, schema } from '@karte/db';
import { configFromEnv } from './config';
import { anchorDeps } from './services/auditTrail/service';
import { verifyAnchored } from './services/auditTrail/verify';

// npm run audit:verify — walks every facility's audit chain against its signed checkpoints (outside the
// database) and the sealed clinical rows; exits 1 on any problem, naming the first bad position.
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
const deps = anchorDeps(config);
let broken = 0;
try {
  console.log(`checkpoints: ${deps.store.location}  key: ${deps.keyFile}`);
  const facilities = await karte.db.select().from(schema.facilities);
  for (const f of facilities) {
    const r = await verifyAnchored(karte.db, f.id, deps);
    if (!r.ok) broken++;
    const anchored = r.latestCheckpoint
      ? `${r.checkpoints} checkpoints, signed up to event ${r.anchoredSeq} (${r.latestCheckpoint.createdAt})`
      : 'no checkpoint yet';
    console.log(
      r.ok
        ? `OK     ${f.institutionCode} ${f.name}: ${r.events} events, chain intact; ${anchored}; ${r.sealedRows} sealed rows match (${r.ms} ms)`
        : `BROKEN ${f.institutionCode} ${f.name}: first bad position: event ${r.brokenAt}: ${r.problem}`,
    );
    for (const p of r.ok ? [] : r.problems.slice(0, 20))
      console.log(`       ${p.kind} @${p.seq}: ${p.message}`);
    if (r.problems.length > 20) console.log(`       … ${r.problems.length - 20} more`);
  }
} finally {
  await karte.close();
}
process.exit(broken ? 1 : 0);
