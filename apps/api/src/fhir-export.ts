import { resolve } from 'node:path';
import { openDb } from '@karte/db';
import { configFromEnv } from './config';
import { exportBundles } from './services/sharing/export';

// npm run fhir:export -- --out DIR — every patient's current JP_Bundle_CLINS Bundles and every finalised
// document Bundle, one per JSON file, validated; what cannot be sent is listed with the reason.
const args = process.argv.slice(2);
const outArg = args[args.indexOf('--out') + 1];
if (!args.includes('--out') || !outArg) {
  console.error('usage: npm run fhir:export -- --out DIR');
  process.exit(2);
}
const out = resolve(process.env.INIT_CWD ?? process.cwd(), outArg);
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  const report = await exportBundles(karte.db, out);
  for (const line of report.notSent) console.log(`送らない ${line}`);
  const kinds = Object.entries(report.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `${report.written} Bundles written to ${out} (${kinds || 'none'}); ${report.notSent.length} items not sent`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await karte.close();
}
