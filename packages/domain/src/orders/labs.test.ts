import { describe, expect, it } from 'vitest';
import { decodeText, infectionFromLab, labFlag, parseLabValue, parseRefRange, readLabCsv } from './labs';

describe('lab values and ranges', () => {
  it('reads ranges in the usual forms, full width included', () => {
    expect(parseRefRange('3.8-5.2')).toEqual({ low: 3.8, high: 5.2, text: '3.8-5.2' });
    expect(parseRefRange('３．８～５．２')).toMatchObject({ low: 3.8, high: 5.2 });
    expect(parseRefRange('-40')).toMatchObject({ low: null, high: 40 });
    expect(parseRefRange('10-')).toMatchObject({ low: 10, high: null });
    expect(parseRefRange('陰性')).toEqual({ low: null, high: null, text: '陰性' });
    expect(parseRefRange('5-3')).toBeNull();
    expect(parseRefRange('')).toEqual({ low: null, high: null, text: '' });
  });

  it('flags H and L from the range', () => {
    const r = parseRefRange('3.8-5.2');
    if (!r) throw new Error('range');
    expect(labFlag(5.3, r)).toBe('H');
    expect(labFlag(3.7, r)).toBe('L');
    expect(labFlag(5.2, r)).toBe('');
    expect(labFlag(null, r)).toBe('');
    expect(parseLabValue('＜０．５')).toEqual({ text: '<0.5', num: 0.5 });
    expect(parseLabValue('陰性')).toEqual({ text: '陰性', num: null });
  });

  it('maps infection items to the status (HBs antibody is not infection)', () => {
    const none = { low: null, high: null, text: '' };
    expect(infectionFromLab('HBs-AG-RESULT', { text: '陽性', num: null }, '', none)).toEqual({
      kind: 'HBs',
      result: 'positive',
    });
    expect(infectionFromLab('HCV-AB-RESULT', { text: '(-)', num: null }, '', none)).toEqual({
      kind: 'HCV',
      result: 'negative',
    });
    expect(
      infectionFromLab('TP-QUANT-COI', { text: '0.1', num: 0.1 }, '', { low: null, high: 1, text: '-1' }),
    ).toEqual({
      kind: 'TP',
      result: 'negative',
    });
    expect(infectionFromLab('HBs-AB-RESULT', { text: '陽性', num: null }, '', none)).toBeNull();
    expect(infectionFromLab('STS-QUANT', { text: '2', num: 2 }, '', none)).toBeNull();
  });
});

describe('lab CSV', () => {
  const header = ['患者番号', '採取日', '項目コード', '結果値', '単位', '基準値'];
  it('reads rows with full-width digits and 和暦 dates', () => {
    const { rows, errors } = readLabCsv([
      header,
      ['１２', 'R8.11.20', '3A015000002327101', '４．２', 'g/dL', '3.8-5.2'],
      ['', '', '', '', '', ''],
    ]);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        patientNumber: '12',
        collectedOn: '2026-11-20',
        code: '3A015000002327101',
        name: '',
        value: '4.2',
        unit: 'g/dL',
        range: '3.8-5.2',
      },
    ]);
  });

  it('names the row and column of every bad cell', () => {
    const { errors } = readLabCsv([
      header,
      ['12', '2026-11-20', '3A015000002327101', '4.2', 'g/dL', '3.8-5.2'],
      ['12', '2026-13-01', '3A015000002327101', '', 'g/dL', '5-3'],
    ]);
    expect(errors).toEqual([
      { line: 3, column: '採取日', message: '日付が読めません' },
      { line: 3, column: '結果値', message: '結果値を入力してください' },
      { line: 3, column: '基準値', message: '基準値は「下限-上限」の形で入力してください' },
    ]);
  });

  it('refuses a 患者番号 past 2³¹−1 and values the database cannot hold, as row errors', () => {
    const { rows, errors } = readLabCsv([
      header,
      ['9999999999', '2026-11-20', '3A015000002327101', '4.2', 'g/dL', '3.8-5.2'],
      ['12', '2026-11-20', '3A015000002327101', '10000000000', 'g/dL', '1-99999999999'],
      ['12', '0000-01-01', '3A015000002327101', '4.2', 'g/\u0000dL', '3.8-5.2'],
      ['12', '2026-11-20', '3A015000002327101', '9999999999.5', 'g/dL', '3.8-5.2'],
      ['12', '2026-11-20', '3A015000002327101', '0.00001', 'g/dL', '0.12345-1'],
    ]);
    expect(errors.map((e) => `${e.line}:${e.column}`)).toEqual([
      '2:患者番号',
      '3:結果値',
      '3:基準値',
      '4:採取日',
      '4:単位',
      '6:結果値',
      '6:基準値',
    ]);
    expect(rows.some((r) => r.line === 5)).toBe(true); // 9999999999.5 still fits numeric(14,4)
  });

  it('refuses a file without the header columns', () => {
    expect(readLabCsv([['a', 'b']]).errors[0]?.message).toContain('患者番号');
  });

  it('decodes UTF-8 (BOM or not) and Shift_JIS', () => {
    const text = '患者番号,採取日\n';
    const utf8 = new TextEncoder().encode(text);
    expect(decodeText(utf8)).toBe(text);
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe(text);
    // 「患者番号」 in Shift_JIS
    const sjis = new Uint8Array([0x8a, 0xb3, 0x8e, 0xd2, 0x94, 0xd4, 0x8d, 0x86]);
    expect(decodeText(sjis)).toBe('患者番号');
  });
});
