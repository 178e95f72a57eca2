import { resolve } from 'node:path';
import { configFromEnv } from './config';
import { restoreBackup } from './services/backups/engine';
import { BackupError, loadKey } from './services/backups/format';

// npm run restore -- FILE [--force] — restores an encrypted backup into the database of DATABASE_URL (which
// must be empty), else into the PGlite KARTE_DATA_DIR (which must hold no database). --force replaces one.
const args = process.argv.slice(2);
const force = args.includes('--force');
const files = args.filter((a) => a !== '--force');
if (files.length !== 1 || files[0]?.startsWith('--')) {
  console.error('usage: npm run restore -- FILE [--force]');
  process.exit(2);
}
const cwd = process.env.INIT_CWD ?? process.cwd();
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const file = resolve(cwd, files[0] as string);
try {
  const key = loadKey(config.backup.keyFile, { create: false });
  const started = Date.now();
  const target = config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir };
  const r = await restoreBackup(file, target, key, { force });
  console.log(
    `restored ${file} (${r.meta.kind}, made ${r.meta.createdAt}, ${r.meta.migrations} migrations) into ${
      config.databaseUrl ? 'DATABASE_URL' : config.dataDir
    } in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (r.keptAside) console.log(`the previous database was kept at ${r.keptAside}`);
  console.log(
    '次に npm run audit:verify で監査ログの連鎖を確認してください。 Next: run npm run audit:verify.',
  );
} catch (error) {
  console.error(error instanceof BackupError ? error.message : (error as Error).message);
  process.exitCode = 1;
}
