import { describe, expect, it } from 'vitest';
import { parseSskCsv } from './csv';
import {
  applySskFile,
  mergeSskRow,
  readSskFile,
  type SskFile,
  sskRowKeys,
  type TariffVersion,
} from './index';

// A 医科診療行為 row needs 150 columns: build one with the fields the versioning reads.
function sRow(kubun: string, code: string, fields: Record<number, string>): string[] {
  const cols = new Array<string>(150).fill('');
  cols[0] = kubun;
  cols[1] = 'S';
  cols[2] = code;
  for (const [i, v] of Object.entries(fields)) cols[Number(i)] = v;
  return cols;
}
const file = (rows: string[][], full = false, fileDate = '2024-06-21'): SskFile => ({
  kind: 'procedure',
  fileDate,
  full,
  rows,
});

describe('parseSskCsv', () => {
  it('reads quoted fields, a quoted comma and a doubled quote, CRLF', () => {
    expect(parseSskCsv('"0","a,b","x""y"\r\n"5","",""\r\n')).toEqual([
      ['0', 'a,b', 'x"y'],
      ['5', '', ''],
    ]);
  });
});

describe('mergeSskRow', () => {
  it('keeps previous values where the change is empty and grows to the longer row', () => {
    expect(mergeSskRow(['0', 'S', 'a', 'b'], ['5', '', '', 'B', 'new'])).toEqual(['5', 'S', 'a', 'B', 'new']);
  });
});

describe('sskRowKeys', () => {
  it('reads 変更年月日/廃止年月日 per master and builds the コメント code from 区分+パターン+番号', () => {
    expect(sskRowKeys('procedure', sRow('9', '111703170', { 86: '20241201', 87: '20241130' }))).toEqual({
      code: '111703170',
      changedOn: '2024-12-01',
      abolishedOn: '2024-11-30',
    });
    const c = new Array<string>(30).fill('');
    Object.assign(c, { 0: '9', 1: 'C', 2: '8', 3: '20', 4: '96', 20: '20241001', 21: '20240930' });
    expect(sskRowKeys('comment', c)).toEqual({
      code: '820000096',
      changedOn: '2024-10-01',
      abolishedOn: '2024-09-30',
    });
  });
});

describe('applySskFile', () => {
  const base = applySskFile(
    [],
    file([sRow('0', '100000010', { 4: '旧名', 11: '10.00', 86: '20240601', 87: '99999999' })], true),
  );

  it('a full row opens a version from its 変更年月日', () => {
    expect(base).toMatchObject([{ code: '100000010', validFrom: '2024-06-01', validTo: null }]);
  });

  it('a dated 変更 opens a new version and closes the previous one the day before', () => {
    const out = applySskFile(base, file([sRow('5', '100000010', { 4: '新名', 86: '20241001' })]));
    expect(out.map((v) => [v.validFrom, v.validTo, v.cols[4], v.cols[11]])).toEqual([
      ['2024-06-01', '2024-09-30', '旧名', '10.00'],
      ['2024-10-01', null, '新名', '10.00'],
    ]);
  });

  it('an undated 変更 corrects the current version in place', () => {
    const out = applySskFile(base, file([sRow('5', '100000010', { 11: '12.00' })]));
    expect(out.map((v) => [v.validFrom, v.validTo, v.cols[11]])).toEqual([['2024-06-01', null, '12.00']]);
  });

  it('廃止 ends the code on 廃止年月日; 抹消 voids the version', () => {
    const gone = applySskFile(base, file([sRow('9', '100000010', { 86: '20241201', 87: '20241130' })]));
    expect(gone.map((v) => [v.validFrom, v.validTo])).toEqual([['2024-06-01', '2024-11-30']]);
    const voided = applySskFile(base, file([sRow('1', '100000010', {})]));
    const [v] = voided as [TariffVersion];
    expect(v.validTo && v.validTo < v.validFrom).toBe(true);
  });

  it('an older file read after a newer one keeps the versions in date order', () => {
    const newer = applySskFile(base, file([sRow('5', '100000010', { 4: '新名', 86: '20241001' })]));
    const out = applySskFile(
      newer,
      file([sRow('5', '100000010', { 11: '11.00', 86: '20240801' })], false, '2024-07-31'),
    );
    expect(out.map((v) => [v.validFrom, v.validTo, v.cols[4], v.cols[11]])).toEqual([
      ['2024-06-01', '2024-07-31', '旧名', '10.00'],
      ['2024-08-01', '2024-09-30', '旧名', '11.00'],
      ['2024-10-01', null, '新名', '10.00'],
    ]);
  });

  it('a 変更 dated like an existing version changes that version', () => {
    const two = applySskFile(base, file([sRow('5', '100000010', { 4: '新名', 86: '20241001' })]));
    const out = applySskFile(two, file([sRow('5', '100000010', { 11: '12.00', 86: '20240601' })]));
    expect(out.map((v) => [v.validFrom, v.validTo, v.cols[4], v.cols[11]])).toEqual([
      ['2024-06-01', '2024-09-30', '旧名', '12.00'],
      ['2024-10-01', null, '新名', '10.00'],
    ]);
  });

  it('a newer full file ends the codes it no longer lists the day before its revision date', () => {
    const kept = applySskFile(
      base,
      file([sRow('0', '100000020', { 4: '別', 11: '5.00', 86: '20240601', 87: '99999999' })], true),
    );
    const next = applySskFile(
      [...base, ...kept],
      file(
        [sRow('0', '100000020', { 4: '別', 11: '6.00', 86: '20260601', 87: '99999999' })],
        true,
        '2026-05-29',
      ),
    );
    const of = (code: string) => next.filter((v) => v.code === code).map((v) => [v.validFrom, v.validTo]);
    expect(of('100000010')).toEqual([['2024-06-01', '2026-05-31']]);
    expect(of('100000020')).toEqual([
      ['2024-06-01', '2026-05-31'],
      ['2026-06-01', null],
    ]);
  });

  it('does not change the versions it was given', () => {
    applySskFile(base, file([sRow('5', '100000010', { 4: 'x', 86: '20241001' })]));
    expect(base[0]?.cols[4]).toBe('旧名');
    expect(base[0]?.validTo).toBeNull();
  });
});

describe('readSskFile', () => {
  it('decodes CP932 and names the file in its errors', () => {
    // 「初診料」 in Shift_JIS
    const bytes = new Uint8Array([
      0x22, 0x30, 0x22, 0x2c, 0x22, 0x8f, 0x89, 0x90, 0x66, 0x97, 0xbf, 0x22, 0x0d, 0x0a,
    ]);
    expect(readSskFile('s_20240621.csv', bytes)).toEqual({
      kind: 'procedure',
      fileDate: '2024-06-21',
      full: false,
      rows: [['0', '初診料']],
    });
    expect(() => readSskFile('x_20240621.csv', bytes)).toThrow(/x_20240621\.csv/);
    expect(() => readSskFile('s_ALL20240531.zip', bytes)).toThrow(/ZIP.*s_ALL20240531\.zip/);
  });
});
