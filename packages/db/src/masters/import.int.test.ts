import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageCodes } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KarteDb } from '../open';
import {
  doseLimitRows,
  drugClassRows,
  interactionRules,
  labCodesFor,
  searchUsages,
  usagesByCodes,
} from '../queries/orders';
import { getDisease, searchDiseases } from '../queries/problems';
import { masterImports } from '../schema';
import { openTestDb } from '../testing';
import { bundledMasters, ensureMasters, importMaster, masterKindOf } from './import';

let karte: KarteDb;
const dir = mkdtempSync(join(tmpdir(), 'karte-masters-'));
const header = 'medis_record_no,icd10,name,name_kana,name_abbrev,exchange_code';

beforeAll(async () => {
  karte = await openTestDb();
});
afterAll(async () => {
  await karte?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('master importer', () => {
  it('loads a file, then a newer one over it (upsert by code), and logs both', async () => {
    const first = join(dir, 'v1.csv');
    writeFileSync(
      first,
      `${header}\n20050001,I10,本態性高血圧症,ホンタイセイコウケツアツショウ,本態性高血圧症,X1\n20050002,J00,感冒,カンボウ,感冒,X2\n`,
    );
    expect(await importMaster(karte.db, first)).toEqual({ kind: 'diseases', rows: 2 });
    const newer = join(dir, 'v2.csv');
    writeFileSync(
      newer,
      `\uFEFF${header}\n20050002,J00,"感冒（かぜ）",カンボウ,感冒,X2\n20050003,K297,急性胃炎,キュウセイイエン,急性胃炎,X3\n`,
    );
    expect(await importMaster(karte.db, newer)).toEqual({ kind: 'diseases', rows: 2 });
    expect((await getDisease(karte.db, '20050002'))?.name).toBe('感冒（かぜ）');
    expect((await getDisease(karte.db, '20050001'))?.name).toBe('本態性高血圧症'); // kept for old records
    expect((await searchDiseases(karte.db, 'ｷｭｳｾｲ', 5)).map((d) => d.code)).toEqual(['20050003']);
    const log = await karte.db.select().from(masterImports);
    expect(log.map((l) => [l.kind, l.rows])).toEqual([
      ['diseases', 2],
      ['diseases', 2],
    ]);
    expect(log[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads the JP-CLINS JLAC10 CodeSystems and replaces the interaction table as a whole', async () => {
    expect(await importMaster(karte.db, bundledMasters.labCodes)).toEqual({ kind: 'labCodes', rows: 437 });
    const alb = await labCodesFor(karte.db, ['3A015000002327101']);
    expect(alb.get('3A015000002327101')).toMatchObject({ item: 'ALB', name: 'アルブミン', group: 'core' });
    expect((await importMaster(karte.db, bundledMasters.interactions)).kind).toBe('interactions');
    const newer = join(dir, 'interactions.csv');
    writeFileSync(newer, '成分A,区分A,成分B,区分B,種別,内容,出典\nA,,B,,併用禁忌,理由,出典X\n');
    await importMaster(karte.db, newer);
    expect(await interactionRules(karte.db)).toEqual([
      expect.objectContaining({ aIngredient: 'A', bIngredient: 'B', aKinds: [], source: '出典X' }),
    ]);
  });

  it('loads the shipped 用法 subset, then a file in the 電子処方箋用法マスタ layout over it', async () => {
    expect(await importMaster(karte.db, bundledMasters.usages)).toEqual({
      kind: 'usages',
      rows: usageCodes.length,
    });
    // Test data in the official layout (not official content): 用法コード, 用法名称.
    const fixture = join(import.meta.dirname, 'fixtures', 'usage-master-TEST-DATA.csv');
    expect(await importMaster(karte.db, fixture)).toEqual({ kind: 'usages', rows: 6 }); // 注射 left out
    const byCode = await usagesByCodes(karte.db, [
      '1031A00000000000',
      '1050W10000000000',
      '2H50B10000000000',
      '101X000000000000',
      '3X00000000000000',
    ]);
    expect(byCode.get('1031A00000000000')).toMatchObject({ kind: 'oral', perDay: 1 });
    expect(byCode.get('1050W10000000000')).toMatchObject({ kind: 'asNeeded', perDay: null });
    expect(byCode.get('2H50B10000000000')).toMatchObject({ kind: 'external', text: '起床時　点眼' });
    expect(byCode.get('101X000000000000')?.perDay).toBeNull();
    expect(byCode.has('3X00000000000000')).toBe(false);
    // Search by text (width folded), the shipped common ones first; kind filter.
    const asa = await searchUsages(karte.db, '朝夕食前', null, 5);
    expect(asa[0]?.code).toBe('1012010100000000');
    expect((await searchUsages(karte.db, '０時', null, 5)).map((u) => u.code)).toEqual(['1031A00000000000']);
    // By kana (hiragana or half-width katakana), through the reading of the 用法名称's words.
    expect((await searchUsages(karte.db, 'てんがん', null, 5)).map((u) => u.code)).toEqual([
      '2H50B10000000000',
    ]);
    expect((await searchUsages(karte.db, 'ｱｻﾕｳｼｮｸｾﾞﾝ', null, 5)).map((u) => u.code)).toEqual([
      '1012010100000000',
    ]);
    const first = await searchUsages(karte.db, '', 'oral', 3);
    expect(first.map((u) => u.code)).toEqual(
      usageCodes
        .filter((u) => u.kind === 'oral')
        .slice(0, 3)
        .map((u) => u.code),
    );
    // The shipped subset's digits agree with the code layout the importer reads.
    const shipped = await usagesByCodes(
      karte.db,
      usageCodes.map((u) => u.code),
    );
    for (const u of usageCodes) expect(shipped.get(u.code)).toMatchObject({ kind: u.kind, perDay: u.perDay });
  });

  it('loads the dose-limit and class tables (bundled on first boot), replacing them on import', async () => {
    await ensureMasters(karte.db);
    const limits = await doseLimitRows(karte.db);
    expect(limits.find((l) => l.ingredient === 'アセトアミノフェン')).toMatchObject({
      kinds: ['内用薬'],
      adultMaxMgPerDay: 4000,
      childMgPerKgPerDay: 60,
      childMaxMgPerDay: 1500,
    });
    expect(limits.every((l) => l.source.includes('添付文書'))).toBe(true);
    const classes = await drugClassRows(karte.db);
    expect(classes.filter((c) => c.className === 'ペニシリン系').map((c) => c.ingredient)).toContain(
      'アモキシシリン',
    );
    const newer = join(dir, 'dose.csv');
    writeFileSync(
      newer,
      '成分名,区分,成人1日最大量mg,小児mg/kg/日,小児1日最大量mg,備考,出典\nテスト,,10,,,,テスト添付文書\n',
    );
    expect(await importMaster(karte.db, newer)).toEqual({ kind: 'doseLimits', rows: 1 });
    expect(await doseLimitRows(karte.db)).toEqual([
      expect.objectContaining({
        ingredient: 'テスト',
        kinds: [],
        adultMaxMgPerDay: 10,
        childMgPerKgPerDay: null,
      }),
    ]);
    const bad = join(dir, 'dose-bad.csv');
    writeFileSync(
      bad,
      '成分名,区分,成人1日最大量mg,小児mg/kg/日,小児1日最大量mg,備考,出典\nX,,abc,,,,出典\n',
    );
    await expect(importMaster(karte.db, bad)).rejects.toThrow(/row 2: not a dose/);
    const noSource = join(dir, 'classes-bad.csv');
    writeFileSync(noSource, '分類,成分名,出典\nペニシリン系,アモキシシリン,\n');
    await expect(importMaster(karte.db, noSource)).rejects.toThrow(/needs 分類, 成分名 and 出典/);
    expect(await doseLimitRows(karte.db)).toHaveLength(1); // the refused file changed nothing
  });

  it('refuses a file it does not recognise', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    await expect(importMaster(karte.db, other)).rejects.toThrow(/not a known master file/);
    expect(masterKindOf(['薬価基準収載医薬品コード', '品名'])).toBe('drugs');
  });
});
