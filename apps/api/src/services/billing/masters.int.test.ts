import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KarteDb, schema, tariffVersionsOf } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { count } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledTariffFiles,
  ensureTariff,
  importTariffFile,
  importTariffFiles,
  sskFileOrder,
} from './masters';
import { currentTariff } from './tariff';

let karte: KarteDb;
const dir = mkdtempSync(join(tmpdir(), 'karte-tariff-'));
const FIRST_VISIT = '111000110'; // 初診料
const REVISIT = '112007410'; // 再診料

beforeAll(async () => {
  karte = await openTestDb();
});
afterAll(async () => {
  await karte?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A change file as 支払基金 publishes it: CP932, every field quoted, CRLF. */
function writeSsk(name: string, rows: string[][]) {
  const text = rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n');
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(`${text}\r\n`, 'cp932'));
  return path;
}
/** A 変更 (5) row: empty fields are unchanged; `set` gives the columns that change. */
function changeRow(code: string, set: Record<number, string>, width = 150) {
  const row = new Array<string>(width).fill('');
  row[0] = '5';
  row[1] = 'S';
  row[2] = code;
  for (const [i, v] of Object.entries(set)) row[Number(i)] = v;
  return row;
}
const counts = async () => ({
  items: (await karte.db.select({ n: count() }).from(schema.tariffItems))[0]?.n,
  imports: (await karte.db.select({ n: count() }).from(schema.masterImports))[0]?.n,
});

describe('tariff master import', () => {
  it('first boot loads the bundled set (full files, then every change in date order) once', async () => {
    const files = bundledTariffFiles();
    expect(files.slice(0, 4).every((f) => /_ALL\d{8}\.zip$/.test(f))).toBe(true);
    const started = Date.now();
    const loaded = await ensureTariff(karte.db);
    console.log(`bundled tariff on ${karte.kind}: ${Date.now() - started} ms`, loaded);
    expect(loaded?.files).toBe(files.length);
    expect(await ensureTariff(karte.db)).toBeNull(); // not empty any more
    const tariff = await currentTariff(karte.db);
    expect(tariff.procedure(FIRST_VISIT, '2024-07-01')).toMatchObject({ name: '初診料', points: 291 });
    // Before the 2024-06 revision the loaded full file does not apply (it only knows what holds from then).
    expect(tariff.procedure(FIRST_VISIT, '2024-05-31')).toBeUndefined();
    expect(tariff.newestChange() >= '2025-09-01').toBe(true);
  });

  it('a change file renames from its 変更年月日 only, 廃止 ends a code, and the same file again is a no-op', async () => {
    const before = await currentTariff(karte.db);
    const path = writeSsk('s_20981220.csv', [
      changeRow(FIRST_VISIT, { 4: '初診料（改）', 86: '20990101' }),
      ['9', ...changeRow(REVISIT, { 87: '20981231' }).slice(1)],
    ]);
    const result = await importTariffFile(karte.db, path);
    expect(result).toMatchObject({ kind: 'procedure', full: false, rows: 2, codes: 2, skipped: false });
    const tariff = await currentTariff(karte.db);
    expect(tariff).not.toBe(before); // reloaded: a newer import was logged
    expect(tariff.procedure(FIRST_VISIT, '2098-12-31')).toMatchObject({ name: '初診料', points: 291 });
    expect(tariff.procedure(FIRST_VISIT, '2099-01-01')).toMatchObject({ name: '初診料（改）', points: 291 });
    expect(tariff.procedure(FIRST_VISIT, '2024-07-01')?.name).toBe('初診料');
    expect(tariff.procedure(REVISIT, '2098-12-31')).toBeDefined();
    expect(tariff.procedure(REVISIT, '2099-01-01')).toBeUndefined();
    const versions = await tariffVersionsOf(karte.db, 'procedure', [FIRST_VISIT]);
    expect(versions.map((v) => [v.validFrom, v.validTo]).at(-1)).toEqual(['2099-01-01', null]);
    expect(versions.at(-2)?.validTo).toBe('2098-12-31');

    const was = await counts();
    expect(await importTariffFile(karte.db, path)).toMatchObject({ skipped: true, codes: 0 });
    expect(await counts()).toEqual(was);
    expect(await currentTariff(karte.db)).toBe(tariff); // nothing new: the same tariff in memory
  });

  it('refuses an unknown or corrupt file with a clear message and writes nothing of it', async () => {
    const was = await counts();
    const unknown = join(dir, 'tensu.csv');
    writeFileSync(unknown, 'a,b\n');
    await expect(importTariffFile(karte.db, unknown)).rejects.toThrow(
      /tensu\.csv: 支払基金の基本マスターのファイル名ではありません/,
    );
    const zip = join(dir, 's_ALL20990101.zip');
    writeFileSync(zip, 'PK\u0003\u0004 not really a zip');
    await expect(importTariffFile(karte.db, zip)).rejects.toThrow(/s_ALL20990101\.zip: .*ZIP/);
    const badKubun = writeSsk('y_20990102.csv', [['X', 'Y', '620000001']]);
    await expect(importTariffFile(karte.db, badKubun)).rejects.toThrow(/y_20990102\.csv: .*変更区分/);
    // A file that fails half-way (its second row has an impossible date) leaves its first row unapplied too.
    const half = writeSsk('s_20990103.csv', [
      changeRow(FIRST_VISIT, { 4: '初診料（途中）', 86: '20990201' }),
      changeRow(REVISIT, { 4: '再診料（途中）', 86: '20991399' }),
    ]);
    await expect(importTariffFile(karte.db, half)).rejects.toThrow(/s_20990103\.csv: 読み込めませんでした/);
    expect(await counts()).toEqual(was);
    expect((await currentTariff(karte.db)).procedure(FIRST_VISIT, '2099-03-01')?.name).toBe('初診料（改）');
  });

  it('takes several files in load order: full files first, then changes by date', async () => {
    expect(
      sskFileOrder([
        '/a/s_20240726.csv',
        '/a/y_20240613.csv',
        '/a/y_ALL20240531.zip',
        '/a/s_ALL20240531.zip',
      ]),
    ).toEqual(['/a/s_ALL20240531.zip', '/a/y_ALL20240531.zip', '/a/y_20240613.csv', '/a/s_20240726.csv']);
    const later = writeSsk('s_20990301.csv', [changeRow(FIRST_VISIT, { 11: '300', 86: '20990401' })]);
    const earlier = writeSsk('s_20990215.csv', [changeRow(FIRST_VISIT, { 11: '295', 86: '20990301' })]);
    const results = await importTariffFiles(karte.db, [later, earlier]);
    expect(results.map((r) => r.file)).toEqual(['s_20990215.csv', 's_20990301.csv']);
    const tariff = await currentTariff(karte.db);
    expect(tariff.procedure(FIRST_VISIT, '2099-03-15')).toMatchObject({ points: 295, name: '初診料（改）' });
    expect(tariff.procedure(FIRST_VISIT, '2099-04-01')?.points).toBe(300);
  });

  it('a full file closes every open code of its kind it no longer lists, the day before its revision date', async () => {
    const OUTPATIENT_MGMT = '112011010'; // 外来管理加算: not listed below
    const DX = '111703370'; // 医療DX推進体制整備加算: changes from 2099-07-01 (after the revision), not listed
    const DRUG = '620007870'; // another kind: a procedure file leaves it alone
    const before = await currentTariff(karte.db);
    expect(before.procedure(OUTPATIENT_MGMT, '2099-06-01')).toBeDefined();
    const drugBefore = before.drug(DRUG, '2099-06-01');
    await importTariffFile(
      karte.db,
      writeSsk('s_20990610.csv', [changeRow(DX, { 11: '9.00', 86: '20990701' })]),
    );
    const full = (code: string, name: string, changedOn: string) => {
      const row = changeRow(code, { 4: name, 10: '3', 11: '291.00', 86: changedOn, 87: '99999999' });
      row[0] = '0';
      return row;
    };
    // The revision date is the most common 変更年月日 (2099-06-01), not the odd row's nor the file name's.
    const result = await importTariffFile(
      karte.db,
      writeSsk('s_ALL20990520.csv', [
        full(FIRST_VISIT, '初診料（全件）', '20990601'),
        full('111000370', '乳幼児加算（全件）', '20990601'),
        full('111000570', '時間外加算（全件）', '20990401'),
      ]),
    );
    expect(result.full).toBe(true);
    expect(result.codes).toBeGreaterThan(3); // the listed codes and the closed ones
    const tariff = await currentTariff(karte.db);
    expect(tariff.procedure(OUTPATIENT_MGMT, '2099-05-31')).toBeDefined();
    expect(tariff.procedure(OUTPATIENT_MGMT, '2099-06-01')).toBeUndefined();
    expect(tariff.procedure(OUTPATIENT_MGMT, '2024-07-01')).toBeDefined(); // history kept
    expect(tariff.procedure(FIRST_VISIT, '2099-06-01')?.name).toBe('初診料（全件）');
    expect(tariff.procedure('111000370', '2099-06-01')?.name).toBe('乳幼児加算（全件）');
    // a version that starts after the revision (a later change already loaded) is left alone
    expect(tariff.procedure(DX, '2099-07-01')?.points).toBe(9);
    expect(tariff.drug(DRUG, '2099-06-01')?.code).toBe(drugBefore?.code);
    const [mgmt] = (await tariffVersionsOf(karte.db, 'procedure', [OUTPATIENT_MGMT])).slice(-1);
    expect(mgmt?.validTo).toBe('2099-05-31');
  });
});
