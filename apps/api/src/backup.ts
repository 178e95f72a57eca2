import { resolve } from 'node:path';
import { DataDirLockedError, openDb } from '@karte/db';
import { configFromEnv } from './config';
import { lockedMessage, writeBackup } from './services/backups/engine';
import { BackupError, loadKey } from './services/backups/format';
import { backupFileName } from './services/backups/schedule';

// npm run backup -- --out FILE — an encrypted backup of the database (DATABASE_URL, else the PGlite
// KARTE_DATA_DIR), with the key in KARTE_BACKUP_KEY_FILE (made on first use, 0600).
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const cwd = process.env.INIT_CWD ?? process.cwd();
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if ((outAt >= 0 && !out) || args.some((a, i) => a !== '--out' && i !== outAt + 1)) {
  console.error(
    'usage: npm run backup -- [--out FILE]   (default: KARTE_BACKUP_DIR/karte-YYYYMMDD-HHMMSS.kbak)',
  );
  process.exit(2);
}
const target = out
  ? resolve(cwd, out)
  : config.backup.dir
    ? resolve(config.backup.dir, backupFileName(new Date()))
    : undefined;
if (!target) {
  console.error('出力先を --out FILE で指定してください。 Give the output file with --out FILE.');
  process.exit(2);
}
try {
  const key = loadKey(config.backup.keyFile, { create: true });
  const karte = await openDb(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, migrate: false, maxConnections: 1 }
      : { dataDir: config.dataDir, migrate: false },
  );
  try {
    const started = Date.now();
    const r = await writeBackup(karte, target, key);
    console.log(
      `backup written: ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.meta.kind}, ${r.meta.migrations} migrations) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(
      `key file: ${config.backup.keyFile} — keep a copy apart from the backups; without it they cannot be read.`,
    );
  } finally {
    await karte.close();
  }
} catch (error) {
  if (error instanceof DataDirLockedError) console.error(lockedMessage(error.dataDir, error.pid));
  else console.error(error instanceof BackupError ? error.message : (error as Error).message);
  process.exitCode = 1;
}
