import { resolve } from 'node:path';
import { importMaster, openDb } from '@karte/db';
import { configFromEnv } from './config';

// npm run masters:import -- FILE — loads a newer official master file (diseases or drug prices).
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run masters:import -- FILE.csv');
  process.exit(2);
}
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  const started = Date.now();
  const { kind, rows } = await importMaster(karte.db, resolve(process.env.INIT_CWD ?? process.cwd(), file));
  console.log(`imported ${rows} rows into the ${kind} master in ${Date.now() - started} ms`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await karte.close();
}
