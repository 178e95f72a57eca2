import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDatabaseEmpty, type KarteDb, openDb, schema, verifyAuditChain } from '@karte/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { log } from '../../log';
import { addFacility, loginAs, startTestApp, type TestApp } from '../../testing';
import { dataDirHasDatabase, restoreBackup, writeBackup } from './engine';
import { BackupError, loadKey } from './format';
import { BackupScheduler } from './schedule';

/**
 * Backup → restore into an EMPTY database of the same kind as the test run's (a new PGlite folder, or a new
 * database on the PostgreSQL server), then the restored copy must pass the audit chain verification and match
 * the source row by row in every table; a wrong key or a damaged file must leave the target empty.
 */
const rowsOf = <T>(r: unknown): T[] => ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];
const onPostgres = process.env.KARTE_TEST_DB === 'postgres';

let app: TestApp;
let work: string;
let keyFile: string;
let key: Buffer;
let admin: postgres.Sql | undefined;
const created: string[] = [];

/** A new empty target: a folder for PGlite, a database for PostgreSQL. */
async function emptyTarget(): Promise<{ databaseUrl: string } | { dataDir: string }> {
  if (!onPostgres) return { dataDir: mkdtempSync(join(work, 'target-')) };
  const name = `karte_restore_${randomBytes(5).toString('hex')}`;
  await admin?.unsafe(`create database ${name}`);
  created.push(name);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString() };
}
const openTarget = (t: { databaseUrl: string } | { dataDir: string }) =>
  openDb({ ...t, migrate: false, maxConnections: 1 });

async function isEmpty(t: { databaseUrl: string } | { dataDir: string }): Promise<boolean> {
  if ('dataDir' in t) return !dataDirHasDatabase(t.dataDir);
  const k = await openTarget(t);
  try {
    return await isDatabaseEmpty(k.db);
  } finally {
    await k.close();
  }
}

/** Every row of every table outside the system schemas, as JSON text, sorted. */
async function snapshot(k: KarteDb): Promise<Map<string, string[]>> {
  const result = await k.db.execute(sql`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1`);
  const out = new Map<string, string[]>();
  for (const { name } of rowsOf<{ name: string }>(result)) {
    const [s, t] = name.split('.') as [string, string];
    const rows = await k.db.execute(sql.raw(`select to_jsonb(x)::text as r from "${s}"."${t}" x order by 1`));
    out.set(
      name,
      rowsOf<{ r: string }>(rows).map((r) => r.r),
    );
  }
  return out;
}

async function expectRefused(file: string, withKey: Buffer, code: string) {
  const target = await emptyTarget();
  const error = await restoreBackup(file, target, withKey).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).code).toBe(code);
  expect((error as BackupError).message).toMatch(/[ぁ-んァ-ン一-龯]/); // said in Japanese (and English)
  expect(await isEmpty(target)).toBe(true);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'karte-backup-test-'));
  keyFile = join(work, 'keys', 'backup.key');
  if (onPostgres) admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
  const base = await startTestApp();
  app = await startTestApp({
    backup: { ...base.config.backup, dir: join(work, 'backups'), keyFile, keep: 1 },
  });
  await base.close();
  // Some work of a second clinic too, so that the comparison covers more than one facility's chain.
  await addFacility(app.karte, '1310999990', 'b');
  await loginAs(app.url, 'doctor');
  await loginAs(app.url, 'b-admin');
}, 120_000);

afterAll(async () => {
  await app?.close();
  for (const name of created) await admin?.unsafe(`drop database if exists ${name} with (force)`);
  await admin?.end();
});

describe('backups', () => {
  let file: string;

  it('makes a backup from the running server (「今すぐバックアップ」), keeps the newest N, reports the last success', async () => {
    const c = await loginAs(app.url, 'admin');
    const before = await c.backups.overview.query();
    expect(before.status.enabled).toBe(true);
    expect(before.files).toEqual([]);
    for (let i = 0; i < 2; i++) {
      if (i) await new Promise((r) => setTimeout(r, 1100)); // file names are per second
      await c.backups.runNow.mutate();
      for (let t = 0; t < 300 && (await c.backups.overview.query()).status.running; t++)
        await new Promise((r) => setTimeout(r, 100));
    }
    const after = await c.backups.overview.query();
    expect(after.status.lastFailure).toBeUndefined();
    expect(after.status.lastSuccess?.file).toMatch(/^karte-\d{8}-\d{6}\.kbak$/);
    expect(after.files).toHaveLength(1); // keep: 1
    expect(after.files[0]?.name).toBe(after.status.lastSuccess?.file);
    expect(after.files[0]?.bytes).toBeGreaterThan(1000);
    expect(after.files[0]?.kind).toBe(app.karte.kind);
    expect(existsSync(keyFile)).toBe(true); // made on first use
    file = join(work, 'backups', after.files[0]?.name as string);
    // Audited: the request and its outcome.
    const events = await app.karte.db
      .select({ action: schema.auditEvents.action, outcome: schema.auditEvents.outcome })
      .from(schema.auditEvents)
      .where(sql`${schema.auditEvents.action} in ('backup', 'backup-result')`);
    expect(events.filter((e) => e.action === 'backup')).toHaveLength(2);
    await expect
      .poll(
        async () =>
          (
            await app.karte.db
              .select()
              .from(schema.auditEvents)
              .where(sql`${schema.auditEvents.action} = 'backup-result'`)
          ).length,
      )
      .toBe(2);
  }, 60_000);

  it('keeps the last failure with its reason (a broken key file), beside the last success', async () => {
    const dir = join(work, 'failing');
    const badKey = join(work, 'bad.key');
    writeFileSync(badKey, 'not a key');
    const s = new BackupScheduler(app.karte, { dir, keyFile: badKey, at: '03:00', keep: 7 }, log);
    const outcome = await s.run('manual');
    expect(outcome.file).toBeUndefined();
    expect(outcome.reason).toMatch(/鍵ファイル .* の形式が正しくありません/);
    expect(s.status().lastFailure?.reason).toBe(outcome.reason);
    expect(s.status().lastSuccess).toBeUndefined();
    expect(s.files()).toEqual([]);
    // Kept across restarts: a new scheduler on the same folder reads it back.
    expect(
      new BackupScheduler(app.karte, { dir, keyFile: badKey, at: '03:00', keep: 7 }, log).status().lastFailure
        ?.reason,
    ).toBe(outcome.reason);
  });

  it('restores into an empty database: every table equal row by row, every audit chain intact', async () => {
    key = loadKey(keyFile, { create: false });
    // A backup of the database at rest (the server is idle), so that the copy must equal it exactly.
    const source = await snapshot(app.karte);
    const own = join(work, 'at-rest.kbak');
    await writeBackup(app.karte, own, key);
    expect(await snapshot(app.karte)).toEqual(source);
    const facilities = await app.karte.db.select().from(schema.facilities);
    expect(facilities.length).toBeGreaterThanOrEqual(2);
    const target = await emptyTarget();
    const r = await restoreBackup(own, target, key);
    expect(r.meta.kind).toBe(app.karte.kind);
    const restored = await openTarget(target);
    try {
      expect(await restored.migrationLevel()).toBe(await app.karte.migrationLevel());
      const copy = await snapshot(restored);
      expect([...copy.keys()]).toEqual([...source.keys()]);
      expect(copy.get('public.patients')?.length).toBeGreaterThan(0);
      expect(copy.get('public.audit_events')?.length).toBeGreaterThan(0);
      for (const [table, rows] of source) expect(copy.get(table), table).toEqual(rows);
      for (const f of facilities) {
        const report = await verifyAuditChain(restored.db, f.id);
        expect(report.ok, `${f.institutionCode}: ${report.problem ?? ''}`).toBe(true);
        expect(report.events).toBe((await verifyAuditChain(app.karte.db, f.id)).events);
      }
    } finally {
      await restored.close();
    }
    // A second restore into the database that now holds data is refused without --force.
    const again = await restoreBackup(own, target, key).catch((e: unknown) => e);
    expect((again as BackupError).code).toBe('not-empty');
    // With force it replaces it (PGlite keeps the old folder aside; PostgreSQL drops and recreates the objects).
    const forced = await restoreBackup(own, target, key, { force: true });
    if ('dataDir' in target) expect(forced.keptAside && existsSync(forced.keptAside)).toBe(true);
    const replaced = await openTarget(target);
    try {
      expect(await snapshot(replaced)).toEqual(source);
    } finally {
      await replaced.close();
    }
  }, 180_000);

  it('refuses a wrong key, a cut-off file and a changed byte, leaving the target empty', async () => {
    const bytes = readFileSync(file);
    await expectRefused(file, randomBytes(32), 'wrong-key');
    const cut = join(work, 'cut.kbak');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused(cut, key, 'damaged');
    const tampered = join(work, 'tampered.kbak');
    const changed = Buffer.from(bytes);
    const at = Math.floor(changed.length * 0.8);
    changed[at] = (changed[at] ?? 0) ^ 0x40;
    writeFileSync(tampered, changed);
    await expectRefused(tampered, key, 'damaged');
  }, 120_000);
});
