import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KarteDb } from '../open';
import { openTestDb } from '../testing';
import { insertFacility } from './admin';
import {
  findLikelyDuplicates,
  getPatient,
  insertPatient,
  type PatientValues,
  parsePatientQuery,
  searchPatients,
  updatePatient,
} from './reception';

let karte: KarteDb;
let facilityA: string;
let facilityB: string;

const hanako: PatientValues = {
  familyName: '山田',
  givenName: '花子',
  familyNameKana: 'ヤマダ',
  givenNameKana: 'ハナコ',
  sex: 'female',
  birthDate: '1975-04-01',
  postalCode: '100-0001',
  address: '東京都千代田区',
  phone: '03-1234-5678',
};

beforeAll(async () => {
  karte = await openTestDb();
  facilityA = (await insertFacility(karte.db, { institutionCode: '0110113719', name: 'A' })).id;
  facilityB = (await insertFacility(karte.db, { institutionCode: '1310000000', name: 'B' })).id;
  await insertPatient(karte.db, facilityA, null, hanako);
  await insertPatient(karte.db, facilityA, null, {
    ...hanako,
    givenName: '太郎',
    givenNameKana: 'タロウ',
    sex: 'male',
    birthDate: '1970-01-02',
    phone: '',
  });
  await insertPatient(karte.db, facilityA, null, {
    ...hanako,
    familyName: '100%_田',
    familyNameKana: 'ヤマモト',
  });
  await insertPatient(karte.db, facilityB, null, hanako);
});
afterAll(() => karte?.close());

const search = async (facilityId: string, text: string) => {
  const q = parsePatientQuery(text);
  if (!q) return [];
  return searchPatients(karte.db, facilityId, q, 20);
};

describe('patient search', () => {
  it('numbers patients per facility', async () => {
    const rows = await search(facilityA, '1');
    expect(rows.map((r) => r.givenName)).toEqual(['花子']);
    expect(await search(facilityB, '1')).toHaveLength(1);
    expect(await search(facilityB, '2')).toEqual([]);
  });
  it('finds by kana prefix in any width or script, in 五十音 order', async () => {
    for (const q of ['やまだ', 'ﾔﾏﾀﾞ', 'ヤマダ　ハ', 'やま']) {
      const rows = await search(facilityA, q);
      expect(rows.length, q).toBeGreaterThan(0);
      expect(rows.every((r) => (r.familyNameKana + r.givenNameKana).startsWith('ヤマ'))).toBe(true);
    }
    expect((await search(facilityA, 'やま')).map((r) => r.familyNameKana + r.givenNameKana)).toEqual([
      'ヤマダタロウ',
      'ヤマダハナコ',
      'ヤマモトハナコ',
    ]);
  });
  it('finds by kanji prefix, treating LIKE wildcards as text', async () => {
    expect((await search(facilityA, '山田 花')).map((r) => r.givenName)).toEqual(['花子']);
    expect((await search(facilityA, '100%')).map((r) => r.familyName)).toEqual(['100%_田']);
    expect(await search(facilityA, '1_0')).toEqual([]);
  });
  it('finds by birth date in several notations and by phone', async () => {
    for (const q of ['1975-04-01', '1975/4/1', '19750401', 'S50.4.1', 'ｓ50/4/1']) {
      expect((await search(facilityA, q)).length, q).toBe(2);
    }
    expect((await search(facilityA, '０３１２３４５６７８')).length).toBe(2);
  });
  it('never returns another facility’s patients', async () => {
    const rows = await search(facilityB, 'ヤ');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).not.toBe((await search(facilityA, 'ヤマダハ'))[0]?.id);
  });
});

describe('patient edits', () => {
  it('detects likely duplicates by name and birth date', async () => {
    const dups = await findLikelyDuplicates(karte.db, facilityA, {
      ...hanako,
      familyName: '山田',
      givenName: '花子',
    });
    expect(dups).toHaveLength(1);
    expect(
      await findLikelyDuplicates(karte.db, facilityA, { ...hanako, birthDate: '1999-01-01' }),
    ).toHaveLength(0);
  });
  it('refuses a stale version instead of overwriting', async () => {
    const [found] = await search(facilityA, '1');
    const p = found && (await getPatient(karte.db, facilityA, found.id));
    if (!p) throw new Error('seed missing');
    const updated = await updatePatient(karte.db, facilityA, null, p.id, p.version, {
      ...hanako,
      address: '新住所',
    });
    expect(updated?.version).toBe(p.version + 1);
    const stale = await updatePatient(karte.db, facilityA, null, p.id, p.version, {
      ...hanako,
      address: '古い編集',
    });
    expect(stale).toBeNull();
    // Facility B cannot change A's row even with the right version.
    expect(await updatePatient(karte.db, facilityB, null, p.id, p.version + 1, hanako)).toBeNull();
  });
});
