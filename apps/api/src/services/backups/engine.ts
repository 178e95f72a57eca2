import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import {
  acquireDataDirLock,
  DataDirLockedError,
  isDatabaseEmpty,
  type KarteDb,
  openDb,
  redactDatabaseUrl,
} from '@karte/db';
import { BackupError, type BackupKind, type BackupMeta, decryptStream, encryptStream } from './format';

/** How far a running backup is (shown on the admin page). */
export interface BackupProgress {
  phase: 'dumping' | 'encrypting' | 'done';
  bytes: number;
}

export const lockedMessage = (dataDir: string, pid: number) =>
  `データフォルダ ${dataDir} は稼働中の Karte サーバー (pid ${pid}) が使用しています。` +
  'サーバーの動作中は管理画面「バックアップ」の「今すぐバックアップ」を使うか、サーバーを停止してから実行してください。' +
  ` The PGlite data folder is held by the running Karte server (pid ${pid}): use 「今すぐバックアップ」 on the admin page, or stop the server first.`;

/** pg_dump / pg_restore, found on PATH (or KARTE_PG_BIN); a clear refusal when missing. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const dir = process.env.KARTE_PG_BIN;
  const cmd = dir ? join(dir, name) : name;
  const probe = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new BackupError(
      'no-pg-tools',
      `${name} が見つかりません。PostgreSQL のクライアント (postgresql-client、サーバーと同じか新しい版) を入れて PATH に通すか、KARTE_PG_BIN にそのフォルダを指定してください。` +
        ` ${name} was not found: install the PostgreSQL client tools (same major version as the server or newer) and put them on PATH, or set KARTE_PG_BIN.`,
    );
  return cmd;
}

async function* childOutput(cmd: string, args: string[], label: string): AsyncGenerator<Uint8Array> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = once(child, 'close');
  let complete = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    complete = true;
  } finally {
    // Stopped early (the consumer failed): do not leave pg_dump running.
    if (!complete && child.exitCode === null) child.kill();
  }
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new BackupError('failed', `${label} が失敗しました (exit ${code}): ${stderr.trim()}`);
}

/**
 * Writes an encrypted backup of an open database to `file` (via FILE.partial, renamed once complete). PGlite:
 * the instance dumps its own data folder (the server's instance, so no second process needs the folder);
 * PostgreSQL: pg_dump in custom format, streamed.
 */
export async function writeBackup(
  karte: KarteDb,
  file: string,
  key: Buffer,
  onProgress: (p: BackupProgress) => void = () => {},
): Promise<{ file: string; bytes: number; meta: BackupMeta }> {
  const migrations = await karte.migrationLevel();
  const kind: BackupKind = karte.kind;
  const meta: BackupMeta = {
    kind,
    createdAt: new Date().toISOString(),
    migrations,
    content: kind === 'pglite' ? 'pglite-datadir-tgz' : 'pg-dump-custom',
  };
  let source: AsyncIterable<Uint8Array>;
  onProgress({ phase: 'dumping', bytes: 0 });
  if (kind === 'pglite') {
    const pglite = karte.pglite;
    if (!pglite) throw new Error('PGlite instance missing');
    // Flush to the data files, then copy the folder while no transaction runs (PGlite serialises them): the
    // server's queries wait for the copy only (~2 s for the demo's 160 MB); compression runs after, off the lock.
    await pglite.exec('CHECKPOINT');
    const exclusive = (
      pglite as unknown as { _runExclusiveTransaction?: (f: () => Promise<Blob>) => Promise<Blob> }
    )._runExclusiveTransaction;
    const dumpSelf = () => pglite.dumpDataDir('none') as Promise<Blob>;
    const dump: Blob = exclusive ? await exclusive.call(pglite, dumpSelf) : await dumpSelf();
    source = Readable.fromWeb(dump.stream() as never).pipe(createGzip({ level: 6 }));
  } else {
    if (!karte.url) throw new Error('PostgreSQL URL missing');
    const pgDump = pgTool('pg_dump');
    source = childOutput(pgDump, ['--format=custom', '--compress=6', `--dbname=${karte.url}`], 'pg_dump');
  }
  const partial = `${file}.partial`;
  mkdirSync(resolve(file, '..'), { recursive: true });
  let bytes = 0;
  try {
    await pipeline(
      source,
      (s: AsyncIterable<Uint8Array>) => encryptStream(s, key, meta),
      async function* count(s: AsyncIterable<Buffer>) {
        for await (const b of s) {
          bytes += b.length;
          onProgress({ phase: 'encrypting', bytes });
          yield b;
        }
      },
      createWriteStream(partial, { mode: 0o600 }),
    );
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  onProgress({ phase: 'done', bytes });
  return { file, bytes, meta };
}

/**
 * Decrypts and authenticates the whole file into a private temporary file before anything is restored: a
 * wrong key or a damaged file is refused with the target untouched.
 */
async function decryptToTemp(
  file: string,
  key: Buffer,
): Promise<{ dir: string; plain: string; meta: BackupMeta }> {
  const dir = mkdtempSync(join(tmpdir(), 'karte-restore-'));
  const plain = join(dir, 'dump');
  let meta: BackupMeta | undefined;
  try {
    await pipeline(
      createReadStream(file),
      (s: AsyncIterable<Uint8Array>) =>
        decryptStream(s, key, (m) => {
          meta = m;
        }),
      createWriteStream(plain, { mode: 0o600 }),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  if (!meta) {
    rmSync(dir, { recursive: true, force: true });
    throw new BackupError('damaged', 'バックアップファイルが壊れています。 The backup file is damaged.');
  }
  return { dir, plain, meta };
}

export type RestoreTarget = { databaseUrl: string } | { dataDir: string };

const notEmpty = (where: string) =>
  new BackupError(
    'not-empty',
    `復元先 ${where} は空ではありません。空のデータベース（空のデータフォルダ）に復元するか、上書きしてよい場合だけ --force を付けてください。` +
      ` The target ${where} is not empty: restore into an empty database / data folder, or pass --force to replace it.`,
  );

/** Whether a PGlite data folder holds a database already. */
export function dataDirHasDatabase(dataDir: string): boolean {
  const pgdata = join(resolve(dataDir), 'pgdata');
  return existsSync(pgdata) && readdirSync(pgdata).length > 0;
}

/**
 * Restores a backup into an empty database or data folder (or, with `force`, over an existing one: PostgreSQL
 * objects are dropped and recreated in the same transaction; a PGlite folder's old `pgdata` is kept aside).
 * All or nothing: the file is authenticated completely first, and the load itself is one transaction (PostgreSQL)
 * or removed again when it fails (PGlite).
 */
export async function restoreBackup(
  file: string,
  target: RestoreTarget,
  key: Buffer,
  options: { force?: boolean } = {},
): Promise<{ meta: BackupMeta; keptAside?: string }> {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new BackupError('not-a-backup', `ファイルが見つかりません: ${file} / No such file: ${file}`);
  // Refuse a non-empty target before the (long) decryption.
  if ('dataDir' in target) {
    if (dataDirHasDatabase(target.dataDir) && !options.force) throw notEmpty(target.dataDir);
  } else if (!options.force) {
    if (!(await postgresEmpty(target.databaseUrl))) throw notEmpty(redactDatabaseUrl(target.databaseUrl));
  }
  const { dir, plain, meta } = await decryptToTemp(file, key);
  try {
    if ('dataDir' in target) {
      if (meta.kind !== 'pglite')
        throw new BackupError(
          'kind-mismatch',
          'これは PostgreSQL のバックアップです。DATABASE_URL を指定して復元してください。 This is a PostgreSQL backup: restore it with DATABASE_URL set.',
        );
      return await restorePglite(target.dataDir, plain, meta, options.force ?? false);
    }
    if (meta.kind !== 'postgres')
      throw new BackupError(
        'kind-mismatch',
        'これは PGlite（組み込みデータベース）のバックアップです。DATABASE_URL を外し KARTE_DATA_DIR に空のフォルダを指定して復元してください。' +
          ' This is a PGlite backup: restore it without DATABASE_URL, into an empty KARTE_DATA_DIR.',
      );
    await restorePostgres(target.databaseUrl, plain, options.force ?? false);
    return { meta };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function restorePglite(dataDir: string, plain: string, meta: BackupMeta, force: boolean) {
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true });
  const pgdata = join(root, 'pgdata');
  let keptAside: string | undefined;
  // The lock first: a running server must not see its folder replaced.
  try {
    acquireDataDirLock(root)();
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new BackupError('locked', lockedMessage(root, error.pid));
    throw error;
  }
  if (dataDirHasDatabase(root)) {
    if (!force) throw notEmpty(root);
    keptAside = join(root, `pgdata.before-restore-${Date.now()}`);
    renameSync(pgdata, keptAside);
  } else rmSync(pgdata, { recursive: true, force: true });
  try {
    const karte = await openDb({
      dataDir: root,
      migrate: false,
      loadDataDir: new Blob([gunzipSync(readFileSync(plain))]),
    });
    try {
      const level = await karte.migrationLevel();
      if (level !== meta.migrations)
        throw new Error(`restored ${level} migrations, backup says ${meta.migrations}`);
    } finally {
      await karte.close();
    }
  } catch (error) {
    rmSync(pgdata, { recursive: true, force: true });
    if (keptAside) renameSync(keptAside, pgdata);
    if (error instanceof DataDirLockedError) throw new BackupError('locked', lockedMessage(root, error.pid));
    throw new BackupError(
      'failed',
      `復元に失敗しました。データフォルダは元の状態に戻しました: ${(error as Error).message} / Restore failed; the data folder was left as it was.`,
    );
  }
  return { meta, keptAside };
}

async function restorePostgres(url: string, plain: string, force: boolean) {
  const pgRestore = pgTool('pg_restore');
  const args = [
    '--single-transaction',
    '--exit-on-error',
    '--no-owner',
    '--no-privileges',
    ...(force ? ['--clean', '--if-exists'] : []),
    `--dbname=${url}`,
    plain,
  ];
  const child = spawn(pgRestore, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0)
    throw new BackupError(
      'failed',
      `pg_restore が失敗しました。1つのトランザクションで実行したため、復元先は変更されていません: ${stderr.trim()}` +
        ' / pg_restore failed; it ran as one transaction, so the target is unchanged.',
    );
}

async function postgresEmpty(url: string): Promise<boolean> {
  const karte = await openDb({ databaseUrl: url, migrate: false, maxConnections: 1 });
  try {
    return await isDatabaseEmpty(karte.db);
  } finally {
    await karte.close();
  }
}
