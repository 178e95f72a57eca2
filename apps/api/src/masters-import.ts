import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { importMaster, openDb } from '@karte/db';
import { configFromEnv } from './config';
import { ensureTariff, importTariffFile, isSskFileName, sskFileOrder } from './services/billing/masters';

// npm run masters:import -- FILE… — loads newer official master files: diseases, drug prices, or the
// 支払基金 基本マスター (s_/y_/t_/c_ full ZIPs and monthly change CSVs; full files first, changes by date).
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error(
    'usage: npm run masters:import -- FILE… (e.g. s_ALL20260529.zip y_ALL20260529.zip s_20260620.csv)',
  );
  process.exit(2);
}
const config = configFromEnv(process.env, resolve(import.meta.dirname, '../../..'));
const paths = files.map((f) => resolve(process.env.INIT_CWD ?? process.cwd(), f));
const missing = paths.filter((p) => !existsSync(p));
if (missing.length > 0) {
  console.error(`ファイルが見つかりません: ${missing.join(', ')}`);
  process.exit(2);
}
const karte = await openDb(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  for (const path of paths.filter((p) => !isSskFileName(p))) {
    const started = Date.now();
    const { kind, rows } = await importMaster(karte.db, path);
    console.log(
      `${basename(path)}: imported ${rows} rows into the ${kind} master in ${Date.now() - started} ms`,
    );
  }
  const tariffFiles = sskFileOrder(paths.filter(isSskFileName));
  // Before the first server start the tariff is empty: the bundled set comes first, as the server would load it.
  const bundled = tariffFiles.length > 0 ? await ensureTariff(karte.db) : null;
  if (bundled)
    console.log(`bundled tariff loaded first: ${bundled.files} files, ${bundled.versions} versions`);
  // Each file is its own transaction: what loaded before a failing file stays loaded (and is listed).
  for (const path of tariffFiles) {
    const started = Date.now();
    const r = await importTariffFile(karte.db, path);
    console.log(
      r.skipped
        ? `${r.file}: already loaded (same file), nothing changed`
        : `${r.file}: ${r.full ? 'full file' : 'changes'} of the ${r.kind} tariff (${r.fileDate}): ${r.rows} rows, ${r.codes} codes added/changed/closed in ${Date.now() - started} ms`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await karte.close();
}
