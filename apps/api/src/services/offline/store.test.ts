import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveOfflineKey } from './crypto';
import {
  listExports,
  loadKey,
  type OfflineFileMeta,
  pruneExports,
  readExport,
  saveKey,
  writeExport,
} from './store';

const facilityId = '0b4c5c3e-6f8a-4d2e-9a77-1c2d3e4f5a6b';
let base = '';
const dirs = () => ({ dir: join(base, 'files'), keyDir: join(base, 'keys') });
const meta = (date: string): OfflineFileMeta => ({
  date,
  generatedAt: `${date}T00:00:00.000Z`,
  patients: 1,
  expected: 1,
  recent: 0,
  sha256: 'a'.repeat(64),
  bytes: 10,
  trigger: 'schedule',
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('offline store', () => {
  it('keeps the derived key (not the passphrase) in a 0600 file in a 0700 folder', async () => {
    base = mkdtempSync(join(tmpdir(), 'karte-offline-store-'));
    expect(await loadKey(dirs(), facilityId)).toBeNull();
    const key = await deriveOfflineKey('とても長い合言葉です-1', undefined, 1000);
    await saveKey(dirs(), facilityId, key, new Date('2026-12-01T00:00:00Z'));
    const path = join(dirs().keyDir, `${facilityId}.key`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirs().keyDir).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).not.toContain('合言葉');
    const loaded = await loadKey(dirs(), facilityId);
    expect(loaded?.key.equals(key.key)).toBe(true);
    expect(loaded?.iterations).toBe(1000);
    await expect(loadKey(dirs(), '../../etc/passwd')).rejects.toThrow();
  });

  it('lists files newest first and keeps only the newest N days', async () => {
    base = mkdtempSync(join(tmpdir(), 'karte-offline-store-'));
    for (const d of ['2026-11-28', '2026-11-30', '2026-11-29', '2026-12-01'])
      await writeExport(dirs(), facilityId, `<html>${d}</html>`, meta(d));
    expect((await listExports(dirs(), facilityId)).map((m) => m.date)).toEqual([
      '2026-12-01',
      '2026-11-30',
      '2026-11-29',
      '2026-11-28',
    ]);
    expect(await pruneExports(dirs(), facilityId, 2)).toEqual(['2026-11-29', '2026-11-28']);
    expect((await listExports(dirs(), facilityId)).map((m) => m.date)).toEqual(['2026-12-01', '2026-11-30']);
    expect(await readExport(dirs(), facilityId, '2026-11-28')).toBeNull();
    expect(await readExport(dirs(), facilityId, '2026-12-01')).toBe('<html>2026-12-01</html>');
    expect(await readExport(dirs(), facilityId, '../x')).toBeNull();
  });
});
