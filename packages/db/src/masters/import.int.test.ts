import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KarteDb } from '../open';
import { interactionRules, labCodesFor } from '../queries/orders';
import { getDisease, searchDiseases } from '../queries/problems';
import { masterImports } from '../schema';
import { openTestDb } from '../testing';
import { bundledMasters, importMaster, masterKindOf } from './import';

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

  it('refuses a file it does not recognise', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    await expect(importMaster(karte.db, other)).rejects.toThrow(/not a known master file/);
    expect(masterKindOf(['薬価基準収載医薬品コード', '品名'])).toBe('drugs');
  });
});
